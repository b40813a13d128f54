// Child process: time from calling loadBN() (fresh process: the module is
// compiled and instantiated) to its resolution, and to the first result of a
// BatchNorm1d(16) training forward on 32 rows. One JSON line.
//   node bench/load-bench.mjs simd|scalar
import { performance } from "node:perf_hooks";
import { loadBN } from "../web/js/bn.js";
import { caseData } from "./data.mjs";
import { emit } from "./timing.mjs";

const variant = process.argv[2];
if (variant !== "simd" && variant !== "scalar") {
  console.error("usage: node bench/load-bench.mjs simd|scalar");
  process.exit(2);
}
const d = caseData(32, 16);
const t0 = performance.now();
const bn = await loadBN({ simd: variant === "simd" });
const loaded = performance.now();
const y = new bn.BatchNorm1d(16).forward(d.x, 32);
const first = performance.now();
if (y.length !== 32 * 16) throw new Error("unexpected output length");
emit({ variant, loadMs: loaded - t0, firstResultMs: first - t0 });
