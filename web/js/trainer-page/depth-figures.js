// Worker side of the depth view (depth-view.js draws it): each network's
// per-layer statistics, packed for the frame, and the Santurkar et al.
// measures, sampled every few steps. Nothing here runs unless the page's
// view asks for it (view.depth), so training without the depth view open
// pays nothing.

// The fields of Trainer.layerStats() the page shows, one Float64Array each
// (index = hidden layer from 0).
export const LAYER_FIELDS = ["preMean", "preStd", "actStd", "saturation", "gradNorm"];

export function packLayerStats(trainer) {
  if (trainer.steps === 0) return null;
  const stats = trainer.layerStats();
  const packed = {};
  for (const name of LAYER_FIELDS) packed[name] = Float64Array.from(stats, (layer) => layer[name]);
  return packed;
}

// Step sizes per landscape sample: eta_k = lr · LANDSCAPE_MAX_SCALE · k / LANDSCAPE_STEPS.
export const LANDSCAPE_STEPS = 8;
export const LANDSCAPE_MAX_SCALE = 4;

// How often (in training steps) the landscape is sampled: one sample costs
// about LANDSCAPE_STEPS + layers forward and backward passes (docs/api.md),
// so sampling every 2 × that many steps keeps it to about a third of the
// training work, rounded up to 1, 2, 2.5 or 5 × 10^k (at least 20).
export function landscapeEvery(layers) {
  const cost = 2 * (LANDSCAPE_STEPS + layers);
  const power = 10 ** Math.floor(Math.log10(cost));
  const nice = [1, 2, 2.5, 5, 10].map((m) => m * power).find((v) => v >= cost);
  return Math.max(20, nice);
}

// One sample of one network, as small plain numbers: ics summarized by
// its mean over the hidden layers after the first (block 0 has nothing
// before it) and the mean cosine.
export function landscapeSample(trainer) {
  if (trainer.steps === 0 || trainer.diverged) return null;
  const m = trainer.landscape({ steps: LANDSCAPE_STEPS, maxScale: LANDSCAPE_MAX_SCALE });
  const later = (values) => Array.from(values).slice(1);
  const mean = (values) => (values.length ? values.reduce((s, v) => s + v, 0) / values.length : NaN);
  return {
    step: trainer.steps, loss: m.loss, gradNorm: m.gradNorm,
    eta: Array.from(m.eta), lossAt: Array.from(m.lossAt), gradChange: Array.from(m.gradChange),
    lossMin: m.lossMin, lossMax: m.lossMax, gradChangeMax: m.gradChangeMax, betaSmoothness: m.betaSmoothness,
    ics: mean(later(m.ics)), icsCosine: mean(later(m.icsCosine)),
  };
}

// Steps `nets` (name -> Trainer) `count` times, stopping at every multiple
// of `every` to sample the landscape of each net into samples[name] (the
// samples since the last frame). Returns each net's last batch loss.
export function stepSampling(nets, count, every, samples) {
  const losses = {};
  const first = Object.values(nets)[0];
  let left = count;
  while (first && left > 0) {
    const steps = first.steps;
    const chunk = every > 0 ? Math.min(left, every - (steps % every)) : left;
    for (const [name, net] of Object.entries(nets)) losses[name] = net.step(chunk);
    left -= chunk;
    if (every > 0 && first.steps % every === 0) {
      for (const [name, net] of Object.entries(nets)) {
        const sample = landscapeSample(net);
        if (sample) samples[name].push(sample);
      }
    }
  }
  return losses;
}
