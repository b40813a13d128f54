// Wrong uses of the API that the declarations must refuse. Each line marked
// `// error TSnnnn` must give exactly that error on that line, and no other
// line may give one (tests/js/types.test.mjs).
import { loadBN, BatchNorm1d as NotAValue } from "bn-wasm";
import type { Trainer } from "bn-wasm";

const bn = await loadBN({ simd: "yes" });                     // error TS2322
await loadBN({ gpu: true });                                  // error TS2353
new NotAValue(3);                                             // error TS2693
const layer = new bn.BatchNorm1d("3");                        // error TS2345
new bn.BatchNorm1d(3, { momentum: "0.1" });                   // error TS2322
new bn.BatchNorm1d(3, { epsilon: 1e-3 });                     // error TS2353
layer.forward([1, 2, 3]);                                     // error TS2554
layer.forward(["1", "2"], 1);                                 // error TS2322
layer.forward([1, 2], 1, { out: [0, 0] });                    // error TS2740
layer.forward([1, 2], 1, { view: true, out: new Float32Array(2) }); // error TS2353
layer.gamma = new Float32Array(3);                            // error TS2540
const g = layer.backward([1, 1, 1]);
g.dgamma[0];                                                  // error TS18047
layer.trace().variance;                                       // error TS2339
layer.setParams({ weight: [1, 1, 1] });                       // error TS2353
const tr: Trainer = new bn.Trainer({ dataset: "mnist" });     // error TS2322
new bn.Trainer({ hidden: 16 });                               // error TS2322
new bn.Trainer({ learningRate: 0.1 });                        // error TS2353
tr.evaluate().acc;                                            // error TS2339
tr.steps = 0;                                                 // error TS2540
tr.options.init === "auto";                                   // error TS2367
tr.activations();                                             // error TS2554
tr.runningStats("0");                                         // error TS2345
bn.schema.Trainer.options.lr.min = 1;                         // error TS2540
bn.schema.Trainer.options.learningRate;                       // error TS2339
bn.fuseLinearBnEval({ weight: [1], inFeatures: 1 }, layer);   // error TS2345
bn.fuseConvBnEval({ weight: [1], inChannels: 1, outChannels: 1, kernelSize: 3 }, layer); // error TS2322
bn.fuseLinearBnEval({ weight: [1], inFeatures: 1, outFeatures: 1 }, tr); // error TS2345
bn.fuseLinearBnEval({ weight: [1], inFeatures: 1, outFeatures: 1 }, layer).bias = null; // error TS2322
new bn.GroupNorm(2);                                          // error TS2554
new bn.LayerNorm([4], { affine: true });                      // error TS2353
new bn.InstanceNorm2d(3, { momentum: null });                 // error TS2322
new bn.GroupNorm(2, 4).forward([1, 2, 3, 4], 1);              // error TS2345
new bn.BatchNorm2d(3).numGroups;                              // error TS2339
bn.fuseLinearBnEval({ weight: [1], inFeatures: 1, outFeatures: 1 }, new bn.LayerNorm(1)); // error TS2345
