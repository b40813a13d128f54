// The deep networks of the trainer benchmark (issue 15, item 5): BN MLPs of
// width 32, batch 64, Linear -> BatchNorm1d -> ReLU per block, SGD lr 0.01,
// minibatches from 400 points; depth 100 with residual blocks. The same
// list is written out in bench/torch_bench.py and bench/native/bench_native.cpp.
export const DEEP_WIDTH = 32;
export const DEEP_BATCH = 64;
export const DEEP_LR = 0.01;
export const DEEP_NETWORKS = Object.freeze([
  { key: "depth20", label: "depth 20", depth: 20, residual: false },
  { key: "depth50", label: "depth 50", depth: 50, residual: false },
  { key: "depth100res", label: "depth 100, residual", depth: 100, residual: true },
]);
export const DEEP_STEPS_PER_CALL = 10;
