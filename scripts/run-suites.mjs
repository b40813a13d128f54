// Runs each test suite, streams its output, reads its counts, and ends with
// one line "tests: N passed, M failed". Exit code 1 when anything failed.
// Usage: node scripts/run-suites.mjs [suite-name-filter]
import { spawn } from "node:child_process";
import { readdirSync, existsSync } from "node:fs";
import { FIREFOX_FILES } from "../tests/browser/engines.mjs";

const filter = process.argv[2] ?? "";
const listTests = (dir) => existsSync(dir)
  ? readdirSync(dir).filter((f) => f.endsWith(".test.mjs")).sort().map((f) => `${dir}/${f}`)
  : [];

const browserFiles = listTests("tests/browser");
const firefoxFiles = browserFiles.filter((f) => FIREFOX_FILES.includes(f.split("/").pop()));
const missingFirefox = FIREFOX_FILES.filter((f) => !browserFiles.some((b) => b.endsWith(`/${f}`)));
if (missingFirefox.length) throw new Error(`tests/browser/engines.mjs lists files that do not exist: ${missingFirefox.join(", ")}`);
const browserSuite = (engine, files) => ({
  name: `Browser (${engine})`, cmd: "node", env: { BN_BROWSER: engine },
  args: ["--test", "--test-reporter=spec", "--test-concurrency=1", ...files], parse: parseNodeTest, files,
});

const suites = [
  { name: "C++ native (Catch2)", cmd: "build/native/bn_tests", args: ["--use-colour", "no"], parse: parseCatch },
  { name: "C++ WASM SIMD under Node (Catch2)", cmd: "node", args: ["build/wasm-simd/bn_tests.cjs", "--use-colour", "no"], parse: parseCatch },
  { name: "C++ WASM scalar under Node (Catch2)", cmd: "node", args: ["build/wasm-scalar/bn_tests.cjs", "--use-colour", "no"], parse: parseCatch },
  { name: "JS API (node:test)", cmd: "node", args: ["--test", "--test-reporter=spec", ...listTests("tests/js")], parse: parseNodeTest, files: listTests("tests/js") },
  browserSuite("chromium", browserFiles),     // playwright-core + Debian's chromium
  browserSuite("firefox", firefoxFiles),      // puppeteer-core over WebDriver BiDi + Debian's firefox-esr
].filter((s) => s.name.toLowerCase().includes(filter.toLowerCase()));

function parseCatch(out) {
  const all = out.match(/All tests passed \((\d+) assertions? in (\d+) test cases?\)/);
  if (all) return { passed: Number(all[2]), failed: 0 };
  const mixed = out.match(/test cases:\s*(\d+)\s*\|\s*(\d+) passed\s*\|\s*(\d+) failed/);
  if (mixed) return { passed: Number(mixed[2]), failed: Number(mixed[3]) };
  const allFailed = out.match(/test cases:\s*(\d+)\s*\|\s*(\d+) failed/);
  if (allFailed) return { passed: 0, failed: Number(allFailed[2]) };
  return null;
}

function parseNodeTest(out) {
  const pass = out.match(/ℹ pass (\d+)/), fail = out.match(/ℹ fail (\d+)/);
  if (!pass || !fail) return null;
  return { passed: Number(pass[1]), failed: Number(fail[1]) };
}

function run({ cmd, args, env = {} }) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1", ...env } });
    let out = "";
    const take = (stream, sink) => stream.on("data", (d) => { out += d; sink.write(d); });
    take(child.stdout, process.stdout);
    take(child.stderr, process.stderr);
    child.on("error", (e) => { out += String(e); resolve({ code: 127, out }); });
    child.on("close", (code) => resolve({ code, out }));
  });
}

const rows = [];
for (const suite of suites) {
  if (suite.files && suite.files.length === 0) continue;
  console.log(`\n=== ${suite.name} ===`);
  const started = Date.now();
  const { code, out } = await run(suite);
  const counts = suite.parse(out) ?? { passed: 0, failed: 1 };
  if (code !== 0 && counts.failed === 0) counts.failed = 1;   // crashed or exited non-zero
  rows.push({ suite: suite.name, ...counts, seconds: ((Date.now() - started) / 1000).toFixed(1) });
}

console.log("\n=== Summary ===");
for (const r of rows) console.log(`${r.suite.padEnd(42)} ${String(r.passed).padStart(5)} passed ${String(r.failed).padStart(3)} failed  (${r.seconds} s)`);
const passed = rows.reduce((a, r) => a + r.passed, 0);
const failed = rows.reduce((a, r) => a + r.failed, 0);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && rows.length > 0 ? 0 : 1);
