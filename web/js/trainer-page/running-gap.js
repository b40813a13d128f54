// How far a BatchNorm layer's running statistics are from the population
// statistics of its input (tr.runningStats(l)), in one number each, averaged
// over the features k:
//   mean: |running mean_k − population mean_k| / √(population var_k)
//         (in population standard deviations: scale-free)
//   var:  |running var_k − population var_k| / population var_k
//         (relative: 0.5 is 50 % off)
// The page shows them beside the running-statistics charts; the tests and
// scripts/running-stats-table.mjs judge the claims with them.
export function runningGap({ runningMean, runningVar, populationMean, populationVar }) {
  let mean = 0, variance = 0;
  const n = runningMean.length;
  for (let k = 0; k < n; k++) {
    mean += Math.abs(runningMean[k] - populationMean[k]) / Math.sqrt(populationVar[k]);
    variance += Math.abs(runningVar[k] - populationVar[k]) / populationVar[k];
  }
  return { mean: mean / n, var: variance / n };
}
