// The world one fuzz run acts on: a fresh WebAssembly instance (so a run,
// and its shrunk replay, always starts from the same heap), a canary layer
// that no command targets, the layers and trainers the commands create and
// call, the views they were handed, and the judge every call goes through.
import { layerState } from "../test-data.mjs";
import { LAYER_KINDS } from "./layers.mjs";

// Outcomes accepted without failing the run, each counted and printed:
// known problems of the core that other branches are fixing (issue 11,
// items 5 and 8: a call they describe may be refused, or give what the
// reference calls wrong; remove the entry when its fix lands, and the fuzz
// checks it), and an outcome decided by rounding.
export const KNOWN = {
  "float32 boundary": "a running variance within rounding of float32's largest value: refused or kept, both right",
  "11.5": "numerics at the edges: x - x0, x - mean, 1/sqrt(var + eps), gamma / sqrt(var + eps) or a gradient sum past float32: a right result, or a refusal that says which",
};

export async function createWorld(loadBN, options) {
  const bn = await loadBN(options);
  const world = {
    bn, layers: [], trainers: [], pool: [], calls: 0,
    stats: { ok: 0, refused: 0, known: {}, byCommand: {}, reasons: {}, byKind: {} },
  };
  // The canary: a layer with a history, never targeted; bit-identical after every call.
  const canary = new bn.BatchNorm1d(5, { momentum: 0.3 });
  canary.setParams({ gamma: [1, 2, -1, 0.5, 3], beta: [0, 1, -2, 0.25, 4], runningVar: [1, 2, 3, 4, 5] });
  canary.forward(Float32Array.from({ length: 20 }, (_, i) => Math.sin(i) * 4), 4);
  canary.backward(Float32Array.from({ length: 20 }, (_, i) => Math.cos(i)));
  canary.eval().forward(Float32Array.from({ length: 10 }, (_, i) => i - 5), 2);
  world.canary = { obj: canary, state: layerState(canary) };
  // The hog: grows the memory on demand (GrowMemory), so views go stale.
  world.hog = { obj: new bn.BatchNorm1d(1), rows: 1 << 14 };
  for (const features of [3, 4]) addLayer(world, LAYER_KINDS[0], { features, eps: 1e-5, momentum: 0.1, affine: true, bad: null });
  // The second starts in eval mode, with running statistics of its own.
  const second = world.layers[1];
  const x = Float32Array.from({ length: 12 }, (_, i) => Math.cos(i) * 2);
  const ref = second.kind.forwardRef(second, Float64Array.from(x), 3, second.kind.state(second.obj));
  second.obj.forward(x, 3);
  second.last = { saved: ref.saved, size: 3, edge: null };
  second.obj.eval();
  // One of each other kind, so that every run drives them from its first call.
  for (const kind of LAYER_KINDS.slice(1)) addLayer(world, kind, kind.starter);
  return world;
}

// A layer of `kind` built from spec (its constructor arguments as data),
// or `obj` already built from it.
export function addLayer(world, kind, spec, obj) {
  const entry = {
    kind, ...kind.config(spec),
    obj: obj ?? kind.make(world.bn, spec, kind.options(spec).fields), disposed: false,
    last: null, backward: false, pendingInput: null, pendingGrad: null, pendingSize: null,
  };
  world.layers.push(entry);
  return entry;
}

// The views a successful call handed out join the pool (the latest 32).
export function keepView(world, view, owner) {
  world.pool.push({ view, owner });
  if (world.pool.length > 32) world.pool.shift();
}

export function disposeWorld(world) {
  for (const e of [...world.layers, ...world.trainers]) {
    e.obj.dispose();
    e.twin?.dispose();
  }
  world.canary.obj.dispose();
  world.hog.obj.dispose();
}

function trainerState(t) {
  if (t.disposed) return { disposed: true };
  const o = t.obj;
  const s = { steps: o.steps, epoch: o.epoch, lastBatchLoss: o.lastBatchLoss, diverged: o.diverged, options: o.options, evaluate: o.evaluate() };
  if (o.steps > 0) s.batch = o.batchIndices();
  return s;
}

// Every object's state, keyed by its entry.
function snapshotAll(world) {
  const all = new Map();
  for (const e of world.layers) all.set(e, e.disposed ? { disposed: true } : e.kind.state(e.obj));
  for (const t of world.trainers) all.set(t, trainerState(t));
  return all;
}

// Bit for bit: typed arrays byte by byte (NaN payloads and -0 included),
// numbers by Object.is, objects and arrays key by key.
export function equal(a, b) {
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    if (!ArrayBuffer.isView(a) || !ArrayBuffer.isView(b) || a.constructor !== b.constructor || a.byteLength !== b.byteLength) return false;
    const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength), y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    return x.every((v, i) => v === y[i]);
  }
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return Object.is(a, b);
  const ka = Object.keys(a), kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && equal(a[k], b[k]));
}

// Runs one call and judges it. The states of every object are taken first;
// then step.build(targetState) makes the arguments (after the snapshot, whose
// reads may grow the memory, so that the views they use are as the call
// sees them) and returns { label, call() -> result, expected: [RegExp] (the
// messages a refusal may have; empty: the call is valid and must succeed),
// known(error | null) -> KNOWN key or null, check(result) -> problem | null
// (run right after the call, before anything else touches the heap),
// changed(before, after) -> problem | null for the target's state after a
// success (default: unchanged), reads(ok) -> problem | null (read-once),
// heap: true to require heapBytesInUse unchanged after a failure, but for
// the allocator's bookkeeping }.
export function judge(world, { name, target, build }) {
  const before = snapshotAll(world);
  const step = { name, target, ...build(before.get(target)) };
  const heapBefore = step.heap ? world.bn.heapBytesInUse() : 0;
  let result, error = null;
  try {
    result = step.call();
  } catch (e) {
    error = e;
  }
  world.calls++;
  const tally = (world.stats.byCommand[step.name] ??= { ok: 0, refused: 0 });
  const kindName = step.target?.kind?.name ?? step.kindName;
  if (kindName) world.stats.byKind[kindName] = (world.stats.byKind[kindName] ?? 0) + 1;
  const fail = (problem) => { throw new Error(`${step.label}: ${problem}`); };
  let problem = null, known = null;
  if (error) {
    tally.refused++;
    world.stats.refused++;
    known = step.known?.(error, undefined) ?? null;
    const reason = `${step.name}: ${String(error?.message).replace(/\d+/g, "N").slice(0, 60)}`;
    world.stats.reasons[reason] = (world.stats.reasons[reason] ?? 0) + 1;
    if (!(error instanceof Error) || error.constructor !== Error) problem = `threw a ${error?.constructor?.name ?? typeof error}: ${error?.message ?? error}`;
    else if (known) { /* counted below */ }
    else if (step.expected.length === 0) problem = `a valid call was refused: ${error.message}`;
    else if (!step.expected.some((r) => r.test(error.message))) problem = `message "${error.message}" is none of ${step.expected.join(", ")}`;
    // emmalloc counts the 8-byte header of every free block as in use, so a
    // failed call that allocated and freed may move the figure by a few
    // headers; a kept object (a layer, a trainer) is hundreds of bytes.
    const kept = world.bn.heapBytesInUse() - heapBefore;
    if (!problem && step.heap && Math.abs(kept) > 64) problem = `the failed call kept ${kept} heap bytes`;
  } else {
    tally.ok++;
    world.stats.ok++;
    known = step.known?.(null, result) ?? null;
    if (step.expected.length > 0 && !known) problem = `a bad call was accepted (expected a refusal: ${step.expected.join(", ")})`;
    else problem = step.check?.(result) ?? null;
    if (known) {   // counted by what the core did; a wrong result still fails
      const outcome = `${known}: ${problem ? "a wrong result" : "a right result"}`;
      world.stats.known[outcome] = (world.stats.known[outcome] ?? 0) + 1;
    }
  }
  if (known && error) world.stats.known[`${known}: refused`] = (world.stats.known[`${known}: refused`] ?? 0) + 1;
  if (problem) fail(problem);
  problem = step.reads?.(!error) ?? null;
  if (problem) fail(`read-once: ${problem}`);
  const after = snapshotAll(world);
  for (const [entry, state] of before) {
    if (entry === step.target && !error && step.changed) {
      problem = step.changed(state, after.get(entry));
    } else if (!equal(after.get(entry), state)) {
      problem = entry === step.target ? "the call failed but changed its object's state" : "another object's state changed";
    }
    if (problem) fail(problem);
  }
  if (!equal(layerState(world.canary.obj), world.canary.state)) fail("the canary layer changed");
}
