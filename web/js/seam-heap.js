// The WebAssembly heap as the seam sees it (docs/api.md, "The seam"): the
// current Float32Array over the instance's memory, the views handed out of
// it, and the buffers that memory growth has detached, so that a stale view
// passed back gets an Error that says what happened instead of a bare
// length mismatch.
//
// Typed arrays are read through the engine's own accessors (the intrinsic
// getters of %TypedArray%.prototype), never through properties a subclass
// or a Proxy could redefine: what the seam checks is what the copy uses,
// and reading them runs no user code.

const TYPED_ARRAY = Object.getPrototypeOf(Float32Array.prototype);
const getter = (proto, key) => Object.getOwnPropertyDescriptor(proto, key)?.get;
const tagOf = getter(TYPED_ARRAY, Symbol.toStringTag);
const lengthOf = getter(TYPED_ARRAY, "length");
const bufferOf = getter(TYPED_ARRAY, "buffer");
const byteOffsetOf = getter(TYPED_ARRAY, "byteOffset");
const byteLengthOf = getter(TYPED_ARRAY, "byteLength");
const resizableOf = getter(ArrayBuffer.prototype, "resizable");   // absent on older engines
const byteLengthOfBuffer = getter(ArrayBuffer.prototype, "byteLength");

// "Float32Array", "Float64Array", ... for a real typed array (subclasses
// included), undefined for anything else (a Proxy, a look-alike, a primitive).
export const typedTag = (value) => tagOf.call(value);
export const typedLength = (array) => lengthOf.call(array);
export const typedBuffer = (array) => bufferOf.call(array);
export const typedByteOffset = (array) => byteOffsetOf.call(array);

// [start, end) byte range of a typed array in its buffer.
export const byteRange = (array) => {
  const start = byteOffsetOf.call(array);
  return [start, start + byteLengthOf.call(array)];
};

// True when the buffer's size cannot change under a checked length: a plain
// ArrayBuffer that is not resizable. A resizable one (length-tracking views)
// or a SharedArrayBuffer (growable, written by other threads) is not.
export function fixedBuffer(buffer) {
  if (!resizableOf) return true;
  try {
    return !resizableOf.call(buffer);
  } catch {
    return false;   // a SharedArrayBuffer
  }
}

// The heap of one instance (web/js/seam.js makes one per loaded module).
// Views handed out, by address: a layer's buffers keep their addresses from
// call to call, so the view of one is made once (about 35 ns, and garbage,
// per view otherwise). Two slots per address hash, the one used longer ago
// replaced (a layer alternates two buffers for x and for y: with one slot
// per hash, two of a step's eight addresses shared a slot and were made
// again every step); a view over a detached buffer is never kept (growth
// empties the cache). Returning the same object again is what a view
// promises: the same memory, valid until the layer's next call or the
// memory grows.
const VIEW_SLOTS = 128;   // 64 pairs

export function createHeap(wasm) {
  let current = null;         // read on first use
  let currentBuffer = null;   // its buffer, read once (the engine's getter is a runtime call)
  const detached = new WeakSet();   // buffers the memory had before it grew
  const viewAt = new Float64Array(VIEW_SLOTS).fill(-1), viewLength = new Float64Array(VIEW_SLOTS);
  const usedAt = new Float64Array(VIEW_SLOTS);   // when each slot was last hit or filled
  let uses = 0;
  const views = new Array(VIEW_SLOTS).fill(null);
  // The Float32Array over the memory now (Emscripten replaces it when the
  // memory grows; the old buffer is then detached, its byteLength 0: only
  // then is the module's property read again, a slow lookup on its object).
  function f32() {
    if (current !== null && byteLengthOfBuffer.call(currentBuffer) !== 0) return current;
    const heap = wasm.HEAPF32;
    if (heap !== current) {
      if (current !== null) detached.add(currentBuffer);
      current = heap;
      currentBuffer = bufferOf.call(heap);
      viewAt.fill(-1);
      views.fill(null);
    }
    return heap;
  }
  return {
    f32,
    buffer() {
      f32();
      return currentBuffer;
    },
    // A Float32Array view of `length` floats at byte address `at` (built on
    // the buffer directly: subarray() looks up a species constructor first;
    // made once per address and length, see VIEW_SLOTS).
    view(at, length) {
      f32();
      const a = (((at >>> 4) ^ (at >>> 10) ^ (at >>> 16)) & (VIEW_SLOTS / 2 - 1)) * 2, b = a + 1;
      uses++;
      if (viewAt[a] === at && viewLength[a] === length) { usedAt[a] = uses; return views[a]; }
      if (viewAt[b] === at && viewLength[b] === length) { usedAt[b] = uses; return views[b]; }
      const slot = usedAt[a] <= usedAt[b] ? a : b;
      const made = new Float32Array(currentBuffer, at, length);
      viewAt[slot] = at;
      viewLength[slot] = length;
      usedAt[slot] = uses;
      views[slot] = made;
      return made;
    },
    // True for a buffer that was this instance's memory before it grew.
    wasDetached(buffer) {
      f32();
      return detached.has(buffer);
    },
  };
}
