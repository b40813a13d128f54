// bn-wasm entry point: loadBN() instantiates the C++ core compiled to
// WebAssembly (SIMD build where the engine validates simd128, else scalar)
// and returns the API of docs/api.md. Works in browsers, Web Workers and
// Node 20 without a bundler.
import { makeBatchNorm1d } from "./batchnorm.js";
import { makeFuse } from "./fuse.js";
import { makeNormLayers } from "./norm-layers.js";
import { VERSION } from "./version.js";
import { describe, fail } from "./validate.js";
import { seamFor } from "./seam.js";
import { record } from "./seam-args.js";
import { copyBytes, checkBinary } from "./wasm-binary.js";

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

const LOAD_OPTIONS = ["simd", "locateFile", "wasmBinary"];

export function loadBN(options) {
  let given, bytes;
  try {
    given = record("loadBN options", options, LOAD_OPTIONS);   // each read once; an unknown name is an Error
    if (given.simd !== undefined && typeof given.simd !== "boolean") {
      fail(`simd must be true, false or left out, got ${describe(given.simd)}`);
    }
    if (given.locateFile !== undefined && typeof given.locateFile !== "function") {
      fail(`locateFile must be a function(name) returning a URL, got ${describe(given.locateFile)}`);
    }
    if (given.wasmBinary !== undefined) bytes = copyBytes("wasmBinary", given.wasmBinary);
  } catch (e) {
    return Promise.reject(e);
  }
  const { simd, locateFile } = given;
  if (simd === true && !simdSupported()) {
    return Promise.reject(new Error("simd: true was asked, but this engine does not support WebAssembly SIMD"));
  }
  // One shared instance per build unless the caller supplies the binary.
  if (locateFile || bytes) return instantiate(simd, locateFile, bytes);
  const variant = (simd ?? simdSupported()) ? "simd" : "scalar";
  if (!shared.has(variant)) {
    const p = instantiate(variant === "simd", undefined, undefined);
    p.catch(() => shared.delete(variant));
    shared.set(variant, p);
  }
  return shared.get(variant);
}

// simd: true / false / undefined (the build the bytes are, or the engine's
// best); bytes: the wasmBinary given (copied), or undefined.
async function instantiate(simd, locateFile, bytes) {
  let source = "wasmBinary";
  let variant;
  if (bytes) {
    variant = await checkBinary(bytes, simd, source, simdSupported());
  } else {
    variant = (simd ?? simdSupported()) ? "simd" : "scalar";
    const file = `bn-${variant}.wasm`;
    const where = locateFile ? String(locateFile(file, wasmDir.href)) : new URL(file, wasmDir).href;
    source = locateFile ? `the file locateFile gave for ${file} (${where})` : where;
    // The glue is built for web/worker: it can fetch http(s) URLs but not
    // files, so in Node read a local .wasm (default place, or a file: URL or
    // path from locateFile) ourselves, and check it as a wasmBinary.
    if (isNode && !/^(https?|data|blob):/i.test(where)) {
      const { readFile } = await import("node:fs/promises");
      bytes = new Uint8Array(await readFile(/^file:/i.test(where) ? new URL(where) : where));
      await checkBinary(bytes, variant === "simd", source, simdSupported());
    }
  }
  // What the module prints while it loads (a failed compile prints
  // "Aborted(...)") is kept for the Error; afterwards it goes to the console.
  const printed = [];
  let loaded = false;
  const wasmFile = `bn-${variant}.wasm`;
  const locate = locateFile ?? ((name) => new URL(name, wasmDir).href);
  const moduleArgs = {
    // One glue (bn.mjs) serves both builds; it asks for "bn.wasm": this build's file.
    locateFile: (name, prefix) => locate(name === "bn.wasm" ? wasmFile : name, prefix),
    print: (text) => (loaded ? console.log(text) : printed.push(text)),
    printErr: (text) => (loaded ? console.warn(text) : printed.push(text)),
  };
  if (bytes) moduleArgs.wasmBinary = bytes;
  const { default: factory } = await import("../wasm/bn.mjs");
  let wasm;
  try {
    wasm = await factory(moduleArgs);
  } catch (e) {
    const reason = String(printed.find((t) => !t.startsWith("Aborted(")) ?? e?.message ?? e).replace(/^Aborted\((.*)\)[^)]*$/s, "$1");
    fail(`loadBN: ${source} did not load as the ${variant} build of bn-wasm: ${reason}`);
  }
  loaded = true;
  for (const text of printed) console.warn(text);
  if (typeof wasm.buildVariant !== "function" || wasm.buildVariant() !== `bn-wasm build: ${variant}`) {
    fail(`loadBN: ${source} is not the ${variant} build of bn-wasm of this version (${typeof wasm.buildVariant === "function" ? wasm.buildVariant() : "no build marker"})`);
  }
  const memory = Object.values(wasm.asm).find((v) => v instanceof WebAssembly.Memory);
  const schemaText = wasm.optionSchema();
  if (schemaText === undefined) fail("bn-wasm: the module's option schema failed to build (a broken build)");
  const schema = deepFreeze(JSON.parse(schemaText));   // the validators read it: nobody may change it
  seamFor(wasm);
  const api = {
    simd: variant === "simd",
    version: VERSION,
    memory,
    // Extension: bytes malloc'ed in the WASM heap right now.
    heapBytesInUse: () => wasm.heapBytesInUse(),
    // Extension: every option's name, type, range or values, default (docs/api.md).
    schema,
    BatchNorm1d: makeBatchNorm1d(wasm, schema),
    ...makeNormLayers(wasm, schema),   // BatchNorm2d, LayerNorm, GroupNorm, InstanceNorm2d
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
