// bn-wasm entry point: loadBN() instantiates the C++ core compiled to
// WebAssembly (SIMD build where the engine validates simd128, else scalar)
// and returns the API of docs/api.md. Works in browsers, Web Workers and
// Node 20 without a bundler.
import { makeBatchNorm1d } from "./batchnorm.js";
import { makeFuse } from "./fuse.js";
import { VERSION } from "./version.js";
import { describe, fail } from "./validate.js";

const isNode = typeof process === "object" && process !== null && typeof process.versions?.node === "string" &&
  typeof window === "undefined" && typeof self === "undefined";

// The smallest module using a v128 instruction: (func (result v128) i32x4.splat(0)).
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0,
  10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);

export function simdSupported() {
  try {
    return typeof WebAssembly === "object" && WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

const wasmDir = new URL("../wasm/", import.meta.url);
const shared = new Map();   // "simd" | "scalar" -> Promise<api>, for default loads

export function loadBN(options = {}) {
  if (options === null || typeof options !== "object") {
    return Promise.reject(new Error(`loadBN options must be an object, got ${describe(options)}`));
  }
  const { simd, locateFile, wasmBinary } = options;
  if (simd !== undefined && typeof simd !== "boolean") {
    return Promise.reject(new Error(`simd must be true, false or left out, got ${describe(simd)}`));
  }
  const variant = (simd ?? simdSupported()) ? "simd" : "scalar";
  if (variant === "simd" && !simdSupported()) {
    return Promise.reject(new Error("simd: true was asked, but this engine does not support WebAssembly SIMD"));
  }
  // One shared instance per variant unless the caller supplies the binary.
  if (locateFile || wasmBinary) return instantiate(variant, options);
  if (!shared.has(variant)) {
    const p = instantiate(variant, options);
    p.catch(() => shared.delete(variant));
    shared.set(variant, p);
  }
  return shared.get(variant);
}

async function instantiate(variant, { locateFile, wasmBinary }) {
  if (locateFile !== undefined && typeof locateFile !== "function") fail("locateFile must be a function(name) returning a URL");
  const file = `bn-${variant}.wasm`;
  const locate = locateFile ?? ((name) => new URL(name, wasmDir).href);
  const moduleArgs = {
    // One glue (bn.mjs) serves both builds; it asks for "bn.wasm": this build's file.
    locateFile: (name, prefix) => locate(name === "bn.wasm" ? file : name, prefix),
  };
  if (wasmBinary !== undefined) {
    if (!(wasmBinary instanceof ArrayBuffer) && !ArrayBuffer.isView(wasmBinary)) {
      fail("wasmBinary must be an ArrayBuffer or a Uint8Array");
    }
    moduleArgs.wasmBinary = wasmBinary;
  } else if (isNode) {
    // The glue is built for web/worker: it can fetch http(s) URLs but not
    // files, so in Node read a local .wasm (default place, or a file: URL or
    // path from locateFile) ourselves.
    const where = String(moduleArgs.locateFile(file, wasmDir.href));
    if (!/^(https?|data|blob):/i.test(where)) {
      const { readFile } = await import("node:fs/promises");
      moduleArgs.wasmBinary = await readFile(/^file:/i.test(where) ? new URL(where) : where);
    }
  }
  const { default: factory } = await import("../wasm/bn.mjs");
  const wasm = await factory(moduleArgs);
  const memory = Object.values(wasm.asm).find((v) => v instanceof WebAssembly.Memory);
  const schemaText = wasm.optionSchema();
  if (schemaText === undefined) fail("bn-wasm: the module's option schema failed to build (a broken build)");
  const schema = deepFreeze(JSON.parse(schemaText));   // the validators read it: nobody may change it
  const api = {
    simd: variant === "simd",
    version: VERSION,
    memory,
    // Extension: bytes malloc'ed in the WASM heap right now.
    heapBytesInUse: () => wasm.heapBytesInUse(),
    // Extension: every option's name, type, range or values, default (docs/api.md).
    schema,
    BatchNorm1d: makeBatchNorm1d(wasm, schema),
  };
  Object.assign(api, makeFuse(wasm, api));   // fuseLinearBnEval, fuseConvBnEval (they find the layer classes in api)
  // Only look for the Trainer wrapper when the module has the binding: a
  // browser logs a console error for the 404 of a missing optional import.
  if (wasm.TrainerBinding) {
    const trainer = await import("./trainer-api.js").catch(() => null);
    if (trainer?.makeTrainer) api.Trainer = trainer.makeTrainer(wasm, schema);
  }
  return api;
}

function deepFreeze(value) {
  if (value !== null && typeof value === "object") {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
