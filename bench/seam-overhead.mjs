// Per-call cost of the JS <-> WASM seam: tiny shapes, where the call itself
// (argument checks, binding calls, copies of a few floats) is all the time.
// A/B in one process: every bn.js given is loaded and timed in turn, rounds
// interleaved, so a noisy machine moves every build alike; the medians of
// the per-round medians are compared.
//   node bench/seam-overhead.mjs [path/to/other/web/js/bn.js ...] [--rounds N] [--scalar]
// With no path: this checkout's web/js/bn.js only. To compare with main:
//   git worktree add /tmp/bn-main main && (cd /tmp/bn-main && npm ci && bash scripts/build.sh)
//   node bench/seam-overhead.mjs /tmp/bn-main/web/js/bn.js web/js/bn.js
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import { readFile } from "node:fs/promises";
import { measure } from "./timing.mjs";

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const option = (name, fallback) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : fallback);
const rounds = option("--rounds", 5);
const simd = !flag("--scalar");
const paths = argv.filter((a, i) => !a.startsWith("--") && !argv[i - 1]?.startsWith("--rounds"));
if (paths.length === 0) paths.push(new URL("../web/js/bn.js", import.meta.url).pathname);

const BATCH = 8, FEATURES = 4, N = BATCH * FEATURES;
const x = Float32Array.from({ length: N }, (_, i) => Math.sin(i) * 2 + 0.5);
const dy = Float32Array.from({ length: N }, (_, i) => Math.cos(i));

// The calls timed, each on a layer of its own (8 x 4, training mode; the
// last, 32 x 16).
function cases(bn) {
  const layer = () => new bn.BatchNorm1d(FEATURES);
  const y = new Float32Array(N), grads = { dx: new Float32Array(N), dgamma: new Float32Array(FEATURES), dbeta: new Float32Array(FEATURES) };
  const a = layer(), b = layer(), c = layer(), d = layer(), e = layer();
  for (const l of [a, b, c, d, e]) l.forward(x, BATCH);
  const plain = Array.from(x);
  const big = new bn.BatchNorm1d(16);
  big.inputView(32).set(Float32Array.from({ length: 512 }, (_, i) => Math.sin(i) * 3 + 1));
  big.forward(big.inputView(32), 32, { view: true });
  big.gradOutputView().set(Float32Array.from({ length: 512 }, (_, i) => Math.cos(i * 0.7)));
  return {
    "forward, out array": () => a.forward(x, BATCH, { out: y }),
    "forward, fresh copy": () => b.forward(x, BATCH),
    "forward, plain array x": () => b.forward(plain, BATCH, { out: y }),
    "forward, views": () => { const v = c.inputView(BATCH); v[0] = x[0]; return c.forward(v, BATCH, { view: true }); },
    "backward, out arrays": () => d.backward(dy, grads),
    "forward + backward, out arrays": () => { e.forward(x, BATCH, { out: y }); return e.backward(dy, grads); },
    // The bench's views step (bench/adapters/ours.mjs) at its 32 x 16.
    "32x16 step, views": () => {
      const yv = big.forward(big.inputView(32), 32, { view: true });
      return { yv, ...big.backward(big.gradOutputView(), { view: true }) };
    },
  };
}

const builds = [];
for (const path of paths) {
  const url = pathToFileURL(resolve(path));
  const { loadBN } = await import(url.href);
  // Its own instance (wasmBinary): no other build's objects in its heap.
  const wasmBinary = await readFile(new URL(`../wasm/bn-${simd ? "simd" : "scalar"}.wasm`, url));
  const bn = await loadBN({ simd, wasmBinary });
  builds.push({ path, calls: cases(bn) });
}

const names = Object.keys(builds[0].calls);
const perRound = builds.map(() => Object.fromEntries(names.map((n) => [n, []])));
for (let r = 0; r < rounds; r++) {
  for (const name of names) {
    builds.forEach((b, i) => {
      perRound[i][name].push(measure(b.calls[name], { samples: 5, minSampleMs: 20, warmupMs: 50 }).medianMs * 1e6);
    });
  }
}
const median = (v) => { const s = [...v].sort((p, q) => p - q); return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

console.log(`per-call CPU time, ns (median of ${rounds} rounds), ${simd ? "SIMD" : "scalar"} build, batch ${BATCH} x ${FEATURES} features`);
const header = ["call".padEnd(32), ...builds.map((b, i) => `[${i}]`.padStart(9))];
if (builds.length > 1) header.push(...builds.slice(1).map((_, i) => `[${i + 1}]/[0]`.padStart(9)));
console.log(header.join(" "));
for (const name of names) {
  const ns = perRound.map((p) => median(p[name]));
  const row = [name.padEnd(32), ...ns.map((v) => v.toFixed(0).padStart(9))];
  if (builds.length > 1) row.push(...ns.slice(1).map((v) => (v / ns[0]).toFixed(2).padStart(9)));
  console.log(row.join(" "));
}
builds.forEach((b, i) => console.log(`[${i}] ${b.path}`));
