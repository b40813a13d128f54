// Checks on the bytes of a bn-wasm module before loadBN instantiates them
// (docs/api.md, "Loading"): that they are WebAssembly at all, and which
// build they are. Each binary carries the text "bn-wasm build: simd" or
// "bn-wasm build: scalar" in its data (cpp/bindings/bindings_heap.cpp), so
// a SIMD binary given with simd: false (or a scalar one with simd: true, or
// either with simd left out) is told apart instead of run under the wrong
// label.
import { fail } from "./validate.js";

const MARKER = new TextEncoder().encode("bn-wasm build: ");
const BUILDS = ["simd", "scalar"];

// The bytes of an ArrayBuffer or ArrayBuffer view, copied once (the caller
// may change or transfer its buffer while the module compiles).
export function copyBytes(name, value) {
  if (value instanceof ArrayBuffer) return new Uint8Array(value.slice(0));
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength).slice();
  return fail(`${name} must be an ArrayBuffer or a Uint8Array (the bytes of bn-simd.wasm or bn-scalar.wasm)`);
}

// "simd", "scalar", or null when the bytes carry no build marker.
export function buildOf(bytes) {
  const first = MARKER[0];
  for (let i = bytes.indexOf(first); i >= 0; i = bytes.indexOf(first, i + 1)) {
    let j = 0;
    while (j < MARKER.length && bytes[i + j] === MARKER[j]) j++;
    if (j < MARKER.length) continue;
    const rest = new TextDecoder().decode(bytes.subarray(i + j, i + j + 6));
    const build = BUILDS.find((b) => rest.startsWith(b));
    if (build) return build;
  }
  return null;
}

// The build `bytes` are, after checking they can run here and match
// `simd` (true, false, or undefined for "whichever they are"). `source`
// names where they came from in messages ("wasmBinary", "the file locateFile gave").
export async function checkBinary(bytes, simd, source, simdSupported) {
  const build = buildOf(bytes);
  if (!WebAssembly.validate(bytes)) {
    if (build === "simd" && !simdSupported) {
      fail(`${source} is the SIMD build (bn-simd.wasm), which this engine cannot run (no WebAssembly SIMD): ` +
        "use bn-scalar.wasm, or leave simd out");
    }
    const reason = await WebAssembly.compile(bytes).then(() => "", (e) => `: ${e.message}`);
    fail(`${source} is not a valid WebAssembly module (${bytes.length} bytes${reason})`);
  }
  if (build === null) {
    fail(`${source} is a WebAssembly module but not a bn-wasm build (it lacks the "bn-wasm build:" marker): ` +
      "give the bytes of web/wasm/bn-simd.wasm or bn-scalar.wasm of this version");
  }
  if (simd !== undefined && simd !== (build === "simd")) {
    const wanted = simd ? "simd" : "scalar";
    fail(`${source} is the ${build} build (bn-${build}.wasm), but simd: ${simd} asks for the ${wanted} one: ` +
      `give bn-${wanted}.wasm, or leave simd out to run the build the bytes are`);
  }
  return build;
}
