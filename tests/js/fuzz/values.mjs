// What the fuzz suite passes to the API, as data: fast-check draws specs
// (plain objects, printable in a shrunk counterexample), and make*() turns
// a spec into the real argument at run time: numbers of every magnitude
// (normal, huge, tiny, denormal, constant, NaN, ±Infinity), held in every
// container a caller might use (Float32Array, other typed arrays, plain
// arrays, Proxies, arrays with getters, resizable and shared buffers, a
// lying Float32Array subclass, the wrong type), and options objects with
// getters, Proxies and unknown keys.
import fc from "fast-check";
import { rng } from "../test-data.mjs";

// ---- numbers

export const VALUE_KINDS = ["normal", "normal", "normal", "offset", "constant", "huge", "tiny", "denormal", "mixed", "zeros"];
export const SPECIALS = [NaN, Infinity, -Infinity, 1e39, -1e39];

// Draws from `good` mostly, from `bad` one time in `odds`.
export const mostly = (good, bad, odds = 10) => fc.oneof({ weight: odds - 1, arbitrary: good }, { weight: 1, arbitrary: bad });

export const valueSpec = fc.record({
  kind: fc.constantFrom(...VALUE_KINDS),
  seed: fc.integer({ min: 1, max: 1e6 }),
  special: mostly(fc.constant(null), fc.constantFrom(...SPECIALS), 8),
  at: fc.double({ min: 0, max: 1, noNaN: true }),
});

// `count` numbers (float64 values) from a spec; columns of `n` for "constant".
export function numbers(spec, count, n = 1) {
  const next = rng(spec.seed);
  const u = () => 2 * next() - 1;
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    switch (spec.kind) {
      case "normal": out[i] = 3 * u(); break;
      case "offset": out[i] = 1000 + u(); break;
      case "constant": out[i] = 1 + (i % n); break;
      case "huge": out[i] = u() * 10 ** (30 + 8 * next()); break;   // up to ~1e38, |x| <= 3.4e38
      case "tiny": out[i] = u() * 1e-30; break;
      case "denormal": out[i] = u() * 1e-42; break;
      case "mixed": out[i] = [3 * u(), u() * 1e30, u() * 1e-30, 0][Math.floor(next() * 4)]; break;
      default: out[i] = 0;
    }
    out[i] = Math.max(-3.4e38, Math.min(3.4e38, out[i]));
  }
  if (spec.special !== null && count > 0) out[Math.min(count - 1, Math.floor(spec.at * count))] = spec.special;
  return out;
}

// The float32 values a layer sees for `values` (1e39 is Infinity there).
export const asFloat32 = (values) => Float64Array.from(values, Math.fround);
export const allFinite32 = (values) => values.every((v) => Number.isFinite(Math.fround(v)));

// ---- containers of an input array

export const GOOD_CONTAINERS = ["float32", "float32", "float32", "float32", "plain", "proxy", "getters", "float64", "int16",
  "resizable", "shared", "lying-subclass"];
export const BAD_CONTAINERS = ["wrong-length", "bigint64", "dataview", "array-like", "null", "string"];
export const inputContainer = mostly(fc.constantFrom(...GOOD_CONTAINERS), fc.constantFrom(...BAD_CONTAINERS), 12);

// A lying subclass: its `length` property claims 1, the engine knows better.
class LyingFloat32Array extends Float32Array {
  get length() { return 1; }
}

// The argument for `values` in `container`, and how it counts reads (for
// the read-once property: reads.get(key) for a Proxy's or a getter's keys).
// Returns { value, valid: what the API must accept, reads, exactLength }.
export function makeInput(container, values) {
  const reads = new Map();
  const count = (key) => reads.set(key, (reads.get(key) ?? 0) + 1);
  const plain = Array.from(values);
  switch (container) {
    case "float32": return { value: Float32Array.from(values), valid: true, reads };
    case "float64": return { value: Float64Array.from(values), valid: true, reads };
    case "int16": return { value: Int16Array.from(values, (v) => (Number.isFinite(v) ? Math.trunc(v) : 0)), valid: true, reads, converted: true };
    case "plain": return { value: plain, valid: true, reads };
    case "proxy": return {
      value: new Proxy(plain, { get(t, k) { count(String(k)); return t[k]; } }), valid: true, reads, counted: true,
    };
    case "getters": {
      const a = new Array(plain.length);
      plain.forEach((v, i) => Object.defineProperty(a, i, { get() { count(String(i)); return v; }, enumerable: true }));
      return { value: a, valid: true, reads, counted: true, getterEntries: true };
    }
    case "resizable": {
      const buffer = new ArrayBuffer(4 * values.length, { maxByteLength: 8 * values.length + 8 });
      const a = new Float32Array(buffer);   // length-tracking
      a.set(values);
      return { value: a, valid: true, reads };
    }
    case "shared": {
      const a = new Float32Array(new SharedArrayBuffer(4 * values.length));
      a.set(values);
      return { value: a, valid: true, reads };
    }
    case "lying-subclass": return { value: LyingFloat32Array.from(values), valid: true, reads };
    case "wrong-length": return { value: Float32Array.from([...values, 1]), valid: false, reads, lengthOff: true };
    case "bigint64": return { value: new BigInt64Array(values.length), valid: false, reads, notArray: true };
    case "dataview": return { value: new DataView(new ArrayBuffer(4 * values.length)), valid: false, reads, notArray: true };
    case "array-like": return { value: { length: values.length }, valid: false, reads, notArray: true };
    case "null": return { value: null, valid: false, reads, notArray: true };
    default: return { value: "1,2,3", valid: false, reads, notArray: true };
  }
}

// ---- options objects

export const OPTION_CONTAINERS = ["plain", "plain", "plain", "getters", "proxy"];

// An options object holding `fields` in `container`; reads counts each
// key's reads (getters and Proxy get traps), keys: the keys counted.
export function makeOptions(container, fields) {
  const reads = new Map();
  const count = (key) => reads.set(key, (reads.get(key) ?? 0) + 1);
  if (container === "getters") {
    const o = {};
    for (const [k, v] of Object.entries(fields)) Object.defineProperty(o, k, { get() { count(k); return v; }, enumerable: true });
    return { value: o, reads, keys: Object.keys(fields) };
  }
  if (container === "proxy") return { value: new Proxy({ ...fields }, { get(t, k) { count(String(k)); return t[k]; } }), reads, keys: Object.keys(fields) };
  return { value: { ...fields }, reads, keys: [] };
}

// Every counted key read at most once; exactly once when the call succeeded.
export function readOnceProblem(reads, keys, succeeded) {
  for (const [key, n] of reads) if (n > 1) return `${key} read ${n} times`;
  if (succeeded) for (const key of keys) if ((reads.get(key) ?? 0) !== 1) return `${key} read ${reads.get(key) ?? 0} times`;
  return null;
}
