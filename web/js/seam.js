// The JS side of the seam protocol (cpp/bindings/convert.hpp): a binding
// never throws. A method that returns a heap address returns 0 on failure,
// any other method that can fail returns FAILED (undefined); either keeps
// its message for lastError(); a constructor that failed leaves ok() false.
// checked(), address() and construct() turn each into an Error thrown from
// plain JS, so no JS exception ever unwinds through WebAssembly frames.
//
// seamFor(wasm) is the rest of the seam for one loaded module: its heap
// (seam-heap.js), the size checks and the validation layer every wrapper
// reads its arguments through (seam-args.js), and the lifetimes of the
// native objects (adopt / release, and the FinalizationRegistry), which
// also tell an out-of-memory Error how much is held and by whom.
import { fail } from "./validate.js";
import { createHeap } from "./seam-heap.js";
import { createSizes } from "./seam-args.js";

export const FAILED = undefined;
export const NO_ADDRESS = 0;
// The start of the core's out-of-memory messages (convert.hpp kOutOfMemory).
const OUT_OF_MEMORY = "out of WebAssembly memory";

const seams = new WeakMap();       // wasm module -> its seam
const ofBinding = new WeakMap();   // binding class -> its module's seam
const ofNative = new WeakMap();    // native object -> its module's seam

// The message of a failed call, with the heap's state when memory ran out.
function failure(seam, message) {
  if (seam && message.startsWith(OUT_OF_MEMORY)) fail(`${message}. ${seam.holdings()}`);
  fail(message);
}

// `result` of a binding call, or an Error with the binding's message.
export function checked(native, result) {
  if (result === FAILED) failure(ofNative.get(native), native.lastError());
  return result;
}

// The heap address a hot binding call returned, or an Error with its message.
export function address(native, at) {
  if (at === NO_ADDRESS) failure(ofNative.get(native), native.lastError());
  return at;
}

// new Binding(...args), or an Error with its message (the half-built native
// object, and whatever it had allocated, is freed first).
export function construct(Binding, ...args) {
  const native = new Binding(...args);
  if (!native.ok()) {
    const message = native.lastError();
    native.delete();
    failure(ofBinding.get(Binding), message);
  }
  return native;
}

// Plain exports of the module (EMSCRIPTEN_KEEPALIVE in cpp/bindings/), as
// the instance's own functions: the glue's wrapper of each replaces itself
// with the export on its first call, so `firstCalls[name](fn)` makes that
// call (one the binding refuses, which changes nothing but its
// lastError()), and the export is read after it. Every call site then sees
// one function (a site that saw the wrapper first would stay megamorphic).
export function resolveExports(wasm, firstCalls) {
  const exports = {};
  for (const [name, firstCall] of Object.entries(firstCalls)) {
    firstCall(wasm[name]);
    exports[name] = wasm[name];
  }
  return exports;
}

const formatBytes = (bytes) => {
  const units = ["bytes", "KiB", "MiB", "GiB"];
  let i = 0;
  while (bytes >= 1024 && i < units.length - 1) { bytes /= 1024; i++; }
  return i === 0 ? `${bytes} bytes` : `${bytes.toFixed(1)} ${units[i]}`;
};

// The seam of one loaded module (made once, by bn.js).
export function seamFor(wasm) {
  if (seams.has(wasm)) return seams.get(wasm);
  const heap = createHeap(wasm);
  const live = new Map();   // label -> count of objects not yet freed
  const count = (label, delta) => live.set(label, (live.get(label) ?? 0) + delta);
  // Frees native objects that were never disposed once JS drops their owner.
  const finalizer = typeof FinalizationRegistry === "function"
    ? new FinalizationRegistry(({ native, label }) => { native.delete(); count(label, -1); })
    : null;
  const seam = {
    heap,
    ...createSizes(() => wasm.maxElements()),
    // Takes charge of `native`, the object `owner` wraps (label: its class,
    // as messages name it: "BatchNorm1d").
    adopt(owner, native, label) {
      ofNative.set(native, seam);
      count(label, 1);
      finalizer?.register(owner, { native, label }, owner);
    },
    // Frees `native` now (dispose()).
    release(owner, native, label) {
      finalizer?.unregister(owner);
      native.delete();
      count(label, -1);
    },
    // "1.9 GiB of the 2.0 GiB WebAssembly memory are in use, by 727 live
    // objects (727 BatchNorm1d); ..." for an out-of-memory Error.
    holdings() {
      const objects = [...live].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
      const total = objects.reduce((sum, [, n]) => sum + n, 0);
      const used = `${formatBytes(wasm.heapBytesInUse())} of the ${formatBytes(wasm.heapLimit())} the WebAssembly memory can grow to`;
      if (total === 0) return `${used} are in use, and no live object holds any: this request alone does not fit`;
      const who = `${total} live object${total === 1 ? "" : "s"} (${objects.map(([label, n]) => `${n} ${label}`).join(", ")})`;
      return `${used} are in use, by ${who}. ` +
        "dispose() frees an object's memory at once: call it on the layers and trainers you no longer need " +
        "(one that is not disposed is freed only when the garbage collector runs, which it cannot do inside a synchronous loop)";
    },
  };
  for (const key of Object.keys(wasm)) {
    if (key.endsWith("Binding") && typeof wasm[key] === "function") ofBinding.set(wasm[key], seam);
  }
  seams.set(wasm, seam);
  return seam;
}
