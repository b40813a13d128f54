// Smoke test of the npm package: `npm pack` (dist/ built first), then
// `npm install <tarball>` into a fresh project outside the repo (offline: the
// package has no runtime dependencies). The project imports the package by
// name (package.json "exports") and runs loadBN + a forward with both builds,
// and `tsc --strict` type-checks a consumer file against the "types"
// condition. Fails, saying what to add to "files", when the tarball misses a
// file an entry point needs (web/wasm/ and dist/ are build output, gitignored).
// The widgets from the package, in a browser: tests/browser/package-widgets.test.mjs.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { packedProject, REPO } from "./pack-project.mjs";
import { runTsc } from "./tsc.mjs";

const run = promisify(execFile);
const pkg = JSON.parse(await readFile(join(REPO, "package.json"), "utf8"));

const REQUIRED = ["package.json", "web/js/bn.js", "web/js/batchnorm.js", "web/js/validate.js", "web/js/version.js",
  "web/wasm/bn.mjs", "web/wasm/bn-simd.wasm", "web/wasm/bn-scalar.wasm",
  "types/bn.d.ts", "types/widgets.d.ts",
  "dist/bn-widgets.js", "dist/worker.js", "dist/bn-simd.wasm", "dist/bn-scalar.wasm", "dist/bn-widgets.css",
  "dist/katex/katex.min.css"];

// A consumer project's script: only the package name, never a repo path.
const CONSUMER = `
import { loadBN } from "bn-wasm";
import pkg from "bn-wasm/package.json" with { type: "json" };
const out = { version: pkg.version, builds: [] };
for (const simd of [true, false]) {
  const bn = await loadBN({ simd });
  const layer = new bn.BatchNorm1d(2);
  const y = layer.forward([1, 10, 3, 30], 2);
  const { dbeta } = layer.backward([1, 1, 1, 1]);
  out.builds.push({ simd: bn.simd, version: bn.version, y: Array.from(y), dbeta: Array.from(dbeta),
    memory: bn.memory instanceof WebAssembly.Memory });
}
console.log(JSON.stringify(out));
`;

// A TypeScript consumer: the declarations come from the installed tarball.
const TYPED_CONSUMER = `
import { loadBN, type BatchNorm1d, type Evaluation } from "bn-wasm";
import { BnTrainerElement } from "bn-wasm/widgets";
const bn = await loadBN({ simd: false });
const layer: BatchNorm1d = new bn.BatchNorm1d(2, { momentum: null });
const y: Float32Array = layer.forward([1, 10, 3, 30], 2);
const e: Evaluation = new bn.Trainer({ dataset: "xor" }).evaluate();
const trainer: BnTrainerElement = document.createElement("bn-trainer");
console.log(y.length, e.accuracy, trainer.isConnected);
`;

let packed;
before(async () => { packed = await packedProject(); }, { timeout: 120_000 });
after(() => packed?.cleanup());

test("npm pack: the tarball holds the entry points, both WASM builds, dist/ and the types, and nothing else", () => {
  const files = packed.info.files.map((f) => f.path);
  const missing = REQUIRED.filter((f) => !files.includes(f));
  assert.deepEqual(missing, [], `the npm package lacks ${missing.join(", ")}: ` +
    `add their folders to package.json "files" (now ${JSON.stringify(pkg.files)}), e.g. "web/js/", "web/wasm/", "dist/", "types/"`);
  for (const f of files) {
    assert.doesNotMatch(f, /^(build|node_modules|tests|cpp|bench|\.git)\//, `${f} should not be published`);
    assert.doesNotMatch(f, /\.(ttf|woff)$/, `${f}: dist/ ships the woff2 fonts only`);
  }
  console.log(`npm pack: ${packed.info.filename}, ${packed.info.size} B packed, ${packed.info.unpackedSize} B unpacked, ${files.length} files`);
});

test("the package has no runtime dependencies (so an offline `npm install <tarball>` works)", () => {
  assert.equal(pkg.dependencies, undefined, `dependencies: ${JSON.stringify(pkg.dependencies)}`);
  assert.equal(pkg.peerDependencies, undefined);
});

test("installed from the tarball, `import \"bn-wasm\"` runs both builds in Node", { timeout: 60_000 }, async () => {
  await writeFile(join(packed.project, "index.mjs"), CONSUMER);
  const result = await run(process.execPath, ["index.mjs"], { cwd: packed.project });
  const out = JSON.parse(result.stdout.trim().split("\n").pop());
  assert.equal(out.version, pkg.version);
  assert.deepEqual(out.builds.map((b) => b.simd), [true, false]);
  for (const b of out.builds) {
    assert.equal(b.version, pkg.version);
    assert.equal(b.memory, true);
    b.y.forEach((v, i) => assert.ok(Math.abs(v - [-1, -1, 1, 1][i]) < 1e-4, `y[${i}] = ${v}`));
    assert.deepEqual(b.dbeta, [2, 2]);
  }
});

test("installed from the tarball, tsc --strict finds the types of \"bn-wasm\" and \"bn-wasm/widgets\"", { timeout: 60_000 }, async () => {
  await writeFile(join(packed.project, "typed.ts"), TYPED_CONSUMER);
  const good = runTsc(["typed.ts"], packed.project);
  assert.equal(good.output.trim(), "", good.output);
  assert.equal(good.status, 0);
  // The control: a misuse is an error, so the types above were not `any`.
  await writeFile(join(packed.project, "wrong.ts"), `import { loadBN } from "bn-wasm";\nconst bn = await loadBN();\nnew bn.BatchNorm1d(2).forward("x", 1);\n`);
  const wrong = runTsc(["wrong.ts"], packed.project);
  assert.deepEqual(wrong.diagnostics.map((d) => `${d.line} ${d.code}`), ["3 TS2345"], wrong.output);
});

test("package.json exports: '.' and './widgets' each give types and a module", async () => {
  for (const [entry, name] of [[".", "loadBN"], ["./widgets", null]]) {
    const target = pkg.exports[entry];
    assert.equal(typeof target.types, "string", `${entry} has a "types" condition`);
    assert.equal(Object.keys(target)[0], "types", `${entry}: "types" must come first (conditions match in order)`);
    const source = await readFile(join(REPO, target.default), "utf8");
    if (name) assert.equal(typeof (await import(new URL(target.default, `file://${REPO}/`).href))[name], "function");
    else assert.match(source, /customElements\.define\("bn-stepper"/);
  }
});
