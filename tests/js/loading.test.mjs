// loadBN with hostile or mistaken options (issue 11, items 7 and 9): a
// bogus wasmBinary, a WebAssembly module that is not bn-wasm, the SIMD
// binary with simd: false (and the scalar one with simd: true), an unknown
// option name. Each rejects with an Error naming the option, and prints
// nothing on the console (captured here); a binary given with simd left out
// runs as the build it is, labelled as such.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { loadBN } from "../../web/js/bn.js";

const binary = (variant) => readFile(new URL(`../../web/wasm/bn-${variant}.wasm`, import.meta.url));

// Runs fn with console.log/warn/error/info captured; returns what they got.
async function captureConsole(fn) {
  const printed = [];
  const saved = {};
  for (const name of ["log", "warn", "error", "info", "debug"]) {
    saved[name] = console[name];
    console[name] = (...args) => printed.push(`${name}: ${args.join(" ")}`);
  }
  try {
    await fn();
  } finally {
    Object.assign(console, saved);
  }
  return printed;
}

async function rejectsQuietly(options, message) {
  const printed = await captureConsole(() => assert.rejects(loadBN(options), (e) => {
    assert.ok(e instanceof Error && !(e instanceof WebAssembly.RuntimeError), `a plain Error (got ${e?.constructor?.name})`);
    assert.match(e.message, message);
    assert.doesNotMatch(e.message, /Aborted|ASSERTIONS/);
    return true;
  }));
  assert.deepEqual(printed, [], "nothing printed on the console");
}

test("a bogus wasmBinary: an Error naming wasmBinary, no Aborted(...), no console noise", async () => {
  await rejectsQuietly({ wasmBinary: new Uint8Array([1, 2, 3, 4]) },
    /^wasmBinary is not a valid WebAssembly module \(4 bytes: .*expected magic word/);
  await rejectsQuietly({ wasmBinary: new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 99]) }, /^wasmBinary is not a valid WebAssembly module/);
  const bytes = new Uint8Array(await binary("simd"));
  await rejectsQuietly({ wasmBinary: bytes.subarray(0, bytes.length >> 1) }, /^wasmBinary is not a valid WebAssembly module/);
});

test("a valid WebAssembly module that is not bn-wasm: an Error saying so", async () => {
  // (module (func (export "f")))
  const other = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 7, 5, 1, 1, 102, 0, 0, 10, 4, 1, 2, 0, 11]);
  assert.ok(WebAssembly.validate(other));
  await rejectsQuietly({ wasmBinary: other }, /^wasmBinary is a WebAssembly module but not a bn-wasm build/);
});

test("the SIMD binary with simd: false, or the scalar one with simd: true: detected and reported, naming both options", async () => {
  await rejectsQuietly({ simd: false, wasmBinary: await binary("simd") },
    /^wasmBinary is the simd build \(bn-simd\.wasm\), but simd: false asks for the scalar one: give bn-scalar\.wasm, or leave simd out/);
  await rejectsQuietly({ simd: true, wasmBinary: await binary("scalar") },
    /^wasmBinary is the scalar build \(bn-scalar\.wasm\), but simd: true asks for the simd one/);
});

test("a binary with simd left out runs as the build it is, labelled as such", async () => {
  for (const variant of ["simd", "scalar"]) {
    const bn = await loadBN({ wasmBinary: await binary(variant) });
    assert.equal(bn.simd, variant === "simd", variant);
    const layer = new bn.BatchNorm1d(2);
    assert.equal(layer.forward([1, 2, 3, 5], 2).length, 4);
    layer.dispose();
  }
});

test("locateFile giving the other build's file: an Error naming locateFile", async () => {
  const wrong = (name) => new URL(`../../web/wasm/${name === "bn-simd.wasm" ? "bn-scalar.wasm" : "bn-simd.wasm"}`, import.meta.url).href;
  await rejectsQuietly({ simd: true, locateFile: wrong }, /^the file locateFile gave for bn-simd\.wasm \(.*bn-scalar\.wasm\) is the scalar build/);
});

test("wasmBinary is copied when loadBN is called: changing or detaching it afterwards changes nothing", async () => {
  const bytes = new Uint8Array(await binary("scalar"));
  const loading = loadBN({ wasmBinary: bytes });
  bytes.fill(0);
  structuredClone(bytes.buffer, { transfer: [bytes.buffer] });
  const bn = await loading;
  assert.equal(bn.simd, false);
  assert.equal(new bn.BatchNorm1d(1).forward([1, 3], 2).length, 2);
});

test("loadBN options: an unknown name is an Error naming it; each option is read once", async () => {
  await rejectsQuietly({ simdd: false }, /^loadBN options: unknown field "simdd" \(expected simd, locateFile, wasmBinary\)/);
  await rejectsQuietly({ wasm_binary: new Uint8Array(8) }, /unknown field "wasm_binary"/);
  await rejectsQuietly({ wasmBinary: "bn-simd.wasm" }, /^wasmBinary must be an ArrayBuffer or a Uint8Array/);
  let reads = 0;
  const bytes = await binary("scalar");
  const bn = await loadBN({ get wasmBinary() { reads++; return reads === 1 ? bytes : new Uint8Array(4); } });
  assert.equal(reads, 1);
  assert.equal(bn.simd, false);
});
