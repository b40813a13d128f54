// Smoke test of the npm package: `npm pack` into a temp dir, extract it as
// node_modules/bn-wasm of a temp project outside the repo, import the
// package by name (package.json "exports") and run loadBN + a forward with
// both builds. Fails, saying what to add to "files", when the tarball misses
// a file the entry point needs (web/wasm/ is build output, gitignored).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const repo = fileURLToPath(new URL("../..", import.meta.url));
const pkg = JSON.parse(await readFile(join(repo, "package.json"), "utf8"));

const REQUIRED = ["package.json", "web/js/bn.js", "web/js/batchnorm.js", "web/js/validate.js", "web/js/version.js",
  "web/wasm/bn-simd.mjs", "web/wasm/bn-simd.wasm", "web/wasm/bn-scalar.mjs", "web/wasm/bn-scalar.wasm"];

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

test("npm pack: the tarball holds the entry point and both WASM builds, and works when installed", { timeout: 120_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), "bn-wasm-pack-"));
  try {
    const { stdout } = await run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", dir],
      { cwd: repo, env: { ...process.env, npm_config_update_notifier: "false", npm_config_fund: "false" } });
    const [info] = JSON.parse(stdout);
    const files = info.files.map((f) => f.path);
    const missing = REQUIRED.filter((f) => !files.includes(f));
    assert.deepEqual(missing, [], `the npm package lacks ${missing.join(", ")}: ` +
      `add their folders to package.json "files" (now ${JSON.stringify(pkg.files)}), e.g. "web/js/", "web/wasm/"`);
    for (const f of files) {
      assert.doesNotMatch(f, /^(build|node_modules|tests|cpp|\.git)\//, `${f} should not be published`);
    }

    const project = join(dir, "consumer");
    const installed = join(project, "node_modules", "bn-wasm");
    await mkdir(installed, { recursive: true });
    await run("tar", ["-xzf", join(dir, info.filename), "-C", installed, "--strip-components=1"]);
    await writeFile(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
    await writeFile(join(project, "index.mjs"), CONSUMER);
    const result = await run(process.execPath, ["index.mjs"], { cwd: project });
    const out = JSON.parse(result.stdout.trim().split("\n").pop());
    assert.equal(out.version, pkg.version);
    assert.deepEqual(out.builds.map((b) => b.simd), [true, false]);
    for (const b of out.builds) {
      assert.equal(b.version, pkg.version);
      assert.equal(b.memory, true);
      b.y.forEach((v, i) => assert.ok(Math.abs(v - [-1, -1, 1, 1][i]) < 1e-4, `y[${i}] = ${v}`));
      assert.deepEqual(b.dbeta, [2, 2]);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("package.json exports '.' points at the module that exports loadBN", async () => {
  const entry = typeof pkg.exports === "string" ? pkg.exports : pkg.exports["."];
  const target = typeof entry === "string" ? entry : entry.import ?? entry.default;
  const mod = await import(new URL(target, new URL("../../", import.meta.url)).href);
  assert.equal(typeof mod.loadBN, "function");
});
