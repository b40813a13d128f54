// THE VALIDATION LAYER of the seam (docs/api.md, "The seam"): every wrapper
// (BatchNorm1d, the Trainer, the layers to come) reads its arguments through
// these functions, in this order, before its first call into WebAssembly:
//   1. record(): an options object read once: own keys checked against the
//      known names (an unknown one is an Error naming it), each value read
//      exactly once into a plain object (a getter or a Proxy trap runs once);
//   2. snapshot(): a plain array (or a Proxy of one) copied once, its
//      length and each entry read once;
//   3. count(): sizes as integers whose products stay within maxElements,
//      the most values one WebAssembly buffer may hold;
//   4. checkInput() / checkOutputs(): typed arrays checked through the
//      engine's own accessors (no user code runs from here on): type,
//      length, a view detached by memory growth, outputs inside the
//      WebAssembly memory, outputs overlapping each other.
// Only then may the wrapper stage inputs and let the core commit: a bad
// argument throws before any state changes.
import { fail, describe } from "./validate.js";
import { typedTag, typedLength, typedBuffer, typedByteOffset, byteRange, fixedBuffer } from "./seam-heap.js";

// checkInput()'s answer for an input that already lies where the core reads
// it (the view inputView() / gradOutputView() handed out): nothing to copy.
export const IN_PLACE = Symbol("in place");

const EMPTY = Object.freeze({});
const list = (names) => names.join(", ");

// 1. Options: `value` (undefined = none) read once against `names`. `what`
// names the object in messages ("forward options", "setParams").
export function record(what, value, names) {
  if (value === undefined) return EMPTY;
  if (value === null || typeof value !== "object" || Array.isArray(value) || ArrayBuffer.isView(value)) {
    fail(`${what} must be an object with any of ${list(names)}, got ${describe(value)}`);
  }
  const keys = Object.keys(value);
  for (const key of keys) {
    if (!names.includes(key)) fail(`${what}: unknown field ${JSON.stringify(key)} (expected ${list(names)})`);
  }
  if (keys.length === 1 && keys[0] === "view") {   // { view } alone, the views' every call: no object to build
    const view = value.view;
    if (view === true) return VIEW_ONLY;
    return { view };
  }
  const out = {};
  for (const key of keys) out[key] = value[key];
  return out;
}

// record()'s answer for { view: true } alone (frozen: shared by every call).
export const VIEW_ONLY = Object.freeze({ view: true });

// 2. A plain array of numbers (or a Proxy of one) is read once, its length
// and then each entry, into a Snapshot; anything else is returned as it
// is, for checkInput().
class Snapshot {
  constructor(values) { this.values = values; }
}
export function snapshot(name, value) {
  if (!Array.isArray(value)) return value;
  const length = value.length;
  const values = new Array(length);   // a plain JS array: no ArrayBuffer to allocate
  for (let i = 0; i < length; i++) {
    const v = value[i];
    if (typeof v !== "number") fail(`${name} must be a Float32Array or an array of numbers; entry ${i} is ${describe(v)}`);
    values[i] = v;
  }
  return new Snapshot(values);
}

// The size check of one instance: maxElements() is the binding's (2^27 - 1
// in WebAssembly, whose size_t has 32 bits), asked on first use. A
// count (features, batch, a dimension) multiplying `per` values (a batch of
// rows of `per` features; 1 for a plain size) must be an integer in
// [1, floor(maxElements / per)]: no size or product of sizes can then wrap
// or pass 2^31 in C++. Same message as the binding's (convert.cpp).
export function createSizes(maxElementsOf) {
  let maxElements = 0;
  return {
    maxElements() {
      maxElements ||= maxElementsOf();
      return maxElements;
    },
    count(name, value, per = 1, perLabel = null) {
      maxElements ||= maxElementsOf();
      const max = Math.floor(maxElements / per);
      if (typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= max) return value;
      const why = !Number.isInteger(value) || value <= max ? ""
        : perLabel ? ` (${name} × ${perLabel} = ${value * per} values; one WebAssembly buffer holds at most ${maxElements})`
          : ` (one WebAssembly buffer holds at most ${maxElements} values)`;
      return fail(`${name} must be an integer in [1, ${max}]${perLabel ? ` for ${per} ${perLabel}` : ""}, got ${describe(value)}${why}`);
    },
  };
}

// 4a. An input array (after snapshot()) of `length` numbers. `pending` is
// the view of the heap the layer handed out for this input (inputView(),
// gradOutputView()) or null. Returns what to copy into the heap (a typed
// array, or a snapshot's plain array), or IN_PLACE when value is that
// view: a copy when value lies elsewhere in the heap (it must be read
// before the core may grow the memory) or on a buffer whose size can
// change, value itself otherwise.
export function checkInput(heap, name, value, length, pending) {
  if (value instanceof Snapshot) {
    if (value.values.length !== length) fail(`${name} must have ${length} entries, got ${value.values.length}`);
    return value.values;
  }
  const tag = typedTag(value);
  if (tag === undefined || tag === "BigInt64Array" || tag === "BigUint64Array") {
    fail(`${name} must be a Float32Array or an array of numbers, got ${describe(value)}`);
  }
  const got = typedLength(value);
  if (got !== length) failLength(heap, name, value, length, got, "input");
  // The very view handed out, of the right length, so not detached (a
  // detached view's length reads 0): in place.
  if (value === pending) return IN_PLACE;
  const buffer = typedBuffer(value);
  if (buffer === heap.buffer()) {
    if (pending !== null && typedBuffer(pending) === buffer && typedByteOffset(pending) === typedByteOffset(value) &&
        got <= typedLength(pending)) return IN_PLACE;
    return new Float32Array(value);
  }
  return fixedBuffer(buffer) ? value : new Float32Array(value);
}

// The length of what checkInput() / readArray() returned, as the engine
// knows it (a subclass's `length` getter may say otherwise).
export const arrayLength = (array) => (Array.isArray(array) ? array.length : typedLength(array));

// 4a'. An input array whose length the core checks (fuse's weight): the
// same rules as checkInput() but any length; returns what to read (a typed
// array that cannot change size, or a snapshot's plain array): its length
// is arrayLength(), never its `length` property.
export function readArray(heap, name, value) {
  if (value instanceof Snapshot) return value.values;
  const tag = typedTag(value);
  if (tag === undefined || tag === "BigInt64Array" || tag === "BigUint64Array") {
    fail(`${name} must be a Float32Array or an array of numbers, got ${describe(value)}`);
  }
  const buffer = typedBuffer(value);
  if (typedLength(value) === 0 && heap.wasDetached(buffer)) failLength(heap, name, value, 1, 0, "input");
  return buffer !== heap.buffer() && fixedBuffer(buffer) ? value : new Float32Array(value);
}

// 4b. Output arrays: `given` from record(); `names` the output fields (in
// the order the results are written) and `lengths` their entries; the
// call's array argument `inputName` / `input`, to name in a message.
// Returns given, checked: each a Float32Array of its length, outside the
// WebAssembly memory (the core's buffers and every layer's views live
// there), none overlapping another; `view: true` alone. An output may
// overlap an input in the caller's own memory: inputs are copied in before
// anything is written (forward(x, b, { out: x }) writes y over x, correctly).
export function checkOutputs(heap, method, given, names, lengths, inputName, input) {
  if (given === EMPTY || given === VIEW_ONLY) return given;
  const view = given.view;
  if (view !== undefined && typeof view !== "boolean") fail(`view must be true or false, got ${describe(view)}`);
  let count = 0;
  const heapBuffer = heap.buffer();
  const buffers = [];   // each output's buffer, read once
  for (let i = 0; i < names.length; i++) {
    const name = names[i], value = given[name];
    if (value === undefined) continue;
    if (view === true) fail(`${method} options: view: true cannot be combined with output arrays`);
    count++;
    if (typedTag(value) !== "Float32Array") fail(`${name} must be a Float32Array (an output array), got ${describe(value)}`);
    const got = typedLength(value);
    if (got !== lengths[i]) failLength(heap, name, value, lengths[i], got, "output");
    const buffer = buffers[i] = typedBuffer(value);
    if (buffer === heapBuffer) {
      if (typedTag(input) !== undefined && overlap(value, input)) {
        fail(`${name} and ${inputName} share memory: ${inputName} is a view of the WebAssembly memory the layer reads and keeps ` +
          `(for backward and trace), so ${name} cannot be written over it; pass a Float32Array of your own as ${name}, or use { view: true }`);
      }
      fail(`${name} is a view of the WebAssembly memory (from inputView(), gradOutputView() or { view: true }): ` +
        "an output must be a Float32Array of your own, since the core's buffers and every layer's views live in that memory; " +
        "use { view: true } to get the results as views");
    }
  }
  if (count > 1) {
    for (let i = 0; i < names.length; i++) {
      for (let j = i + 1; j < names.length; j++) {
        const a = given[names[i]], b = given[names[j]];
        if (a !== undefined && b !== undefined && buffers[i] === buffers[j] && rangesOverlap(a, b)) {
          fail(`${names[i]} and ${names[j]} share memory: each output needs an array of its own (both would be written, one over the other)`);
        }
      }
    }
  }
  return given;
}

function overlap(a, b) {
  return typedBuffer(a) === typedBuffer(b) && rangesOverlap(a, b);
}

// Byte ranges of two views of one buffer that intersect.
function rangesOverlap(a, b) {
  const [a0, a1] = byteRange(a), [b0, b1] = byteRange(b);
  return a0 < b1 && b0 < a1;
}

// The message for a typed array of the wrong length, saying so when the
// reason is a detached buffer (memory growth, or a transfer).
function failLength(heap, name, value, expected, got, role) {
  const buffer = typedBuffer(value);
  if (heap.wasDetached(buffer)) {
    fail(`${name} is a view of the WebAssembly memory that was detached by memory growth (a later call needed more memory): ` +
      `views are valid until the layer's next call or until the memory grows; take a new one (inputView(), gradOutputView(), { view: true }) ` +
      `after the call, or copy the values (slice()) while the view is valid`);
  }
  if (got === 0 && buffer.byteLength === 0 && expected > 0) {
    fail(`${name} must have ${expected} entries, got 0: its ArrayBuffer is detached (transferred, e.g. posted to a worker)` +
      (role === "output" ? "; pass a live Float32Array" : ""));
  }
  fail(`${name} must have ${expected} entries, got ${got}`);
}

// 5. Results: `length` floats at heap byte address `at`, copied into
// `target` (an output array checkOutputs() accepted) or into a fresh
// Float32Array when no target is given; target === true: the view itself.
// The fresh copy is constructed from the view (one pass: V8 allocates it
// without zero-filling, where slice() zero-fills and then copies).
export function deliver(heap, at, length, target) {
  const view = heap.view(at, length);
  if (target === true) return view;
  if (target === undefined) return new Float32Array(view);
  target.set(view);
  return target;
}

// The entries of an input as given (a snapshot's, or a typed array's as the
// engine knows them); undefined for anything else (checkInput() says why).
export function entryCount(value) {
  if (value instanceof Snapshot) return value.values.length;
  const tag = typedTag(value);
  return tag === undefined ? undefined : typedLength(value);
}

// 5'. Copies an input checkInput() accepted into the heap at byte address
// `at` (where the binding's staging call said the core reads it). IN_PLACE:
// the caller's view `original` already is that buffer, unless the buffer
// moved since the view was handed out (`pending`, an earlier failed, larger
// call): then the values, read before, are copied from it.
export function stage(heap, at, input, original, pending) {
  if (input !== IN_PLACE) heap.f32().set(input, at >>> 2);
  else if (at !== typedByteOffset(pending)) heap.f32().set(original, at >>> 2);
}
