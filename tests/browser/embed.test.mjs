// dist/ (npm run build) as a course author hosts it: served by a static
// server with the strict CSP. The example course notes render both widgets
// with no console error and no CSP violation, every widget on the page
// shares one WebAssembly instance and one worker, nothing is fetched from
// another host, and JS + WASM stay under 300 KB gzipped.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { DIST_ROOT, launchBrowser, openPage, serve } from "./browser.mjs";
import { readPanel, settle, waitForFirstFrame, waitForSteps } from "./trainer-driver.mjs";
import { openRecording } from "./widget-page.mjs";
import { gzipReport, GZIP_LIMIT_BYTES } from "../../scripts/build-dist.mjs";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
let browser, server;

before(async () => {
  const built = spawnSync(process.execPath, ["scripts/build-dist.mjs"], { cwd: repoRoot, encoding: "utf8" });
  if (built.status !== 0) throw new Error(`build-dist failed:\n${built.stdout}\n${built.stderr}`);
  browser = await launchBrowser();
  server = await serve(DIST_ROOT);
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const openNotes = () => openRecording(browser, `${server.url}examples/course-notes.html`);

test("course notes render both widgets under the strict CSP, with no errors", async () => {
  const { page, context, problems, requests, workers } = await openNotes();
  try {
    const steppers = page.locator("bn-stepper"), trainers = page.locator("bn-trainer");
    assert.equal(await steppers.count(), 2);
    assert.equal(await trainers.count(), 2);
    const first = steppers.nth(0);
    await first.getByLabel("x row 1 feature 1", { exact: true }).waitFor({ timeout: 30_000 });
    assert.equal(await first.getByLabel("x row 4 feature 2", { exact: true }).inputValue(), "1");
    await first.getByRole("button", { name: "Next step", exact: true }).click();
    await first.locator('[data-quantity="mean"][data-feature="1"]').first().waitFor();
    assert.equal(Number(await first.locator('[data-quantity="mean"][data-feature="1"]').first().getAttribute("data-value")), 2.5);
    await steppers.nth(1).getByLabel("x row 2 feature 1", { exact: true }).waitFor();

    const trainer = trainers.nth(1);
    await waitForFirstFrame(trainer);
    await trainer.getByRole("button", { name: "Play", exact: true }).click();
    await waitForSteps(trainer, 30);
    await trainer.getByRole("button", { name: "Pause", exact: true }).click();
    await settle(trainer);
    const bn = await readPanel(trainer, "bn");
    assert.ok(bn.accuracy >= 0 && bn.accuracy <= 1);
    await waitForFirstFrame(trainers.nth(0));
    assert.equal((await readPanel(trainers.nth(0), "bn")).steps, 0, "the other trainer did not move");

    const wasmFetches = requests.filter((u) => u.endsWith(".wasm"));
    // One instance on the main thread (both steppers) plus one in the shared worker.
    assert.ok(wasmFetches.length <= 2, `wasm fetched ${wasmFetches.length} times: ${wasmFetches.join(", ")}`);
    assert.equal(workers.length, 1, `workers: ${workers.join(", ")}`);
    assert.ok(workers[0].startsWith(server.url), `worker ${workers[0]} is not same-origin`);
    const foreign = requests.filter((u) => !u.startsWith(server.url));
    assert.deepEqual(foreign, [], "requests to other hosts");
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("a bare page with the two documented lines works from dist/", async () => {
  // The exact snippet of docs/page-hooks.md, written as a page next to dist/'s files.
  const { writeFile, rm } = await import("node:fs/promises");
  const file = `${DIST_ROOT}snippet-test.html`;
  await writeFile(file, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>snippet</title><link rel="icon" href="favicon.svg">
<script type="module" src="bn-widgets.js"></script></head><body>
<bn-stepper batch="4" features="2" data="1,2;3,5;2,0;4,1"></bn-stepper>
<bn-trainer dataset="spiral" lr="1"></bn-trainer></body></html>`);
  const { page, context, problems } = await openPage(browser, `${server.url}snippet-test.html`);
  try {
    await page.locator("bn-stepper").getByLabel("x row 3 feature 2", { exact: true }).waitFor({ timeout: 30_000 });
    const trainer = page.locator("bn-trainer");
    await waitForFirstFrame(trainer);
    assert.equal(await trainer.getByLabel("Learning rate", { exact: true }).inputValue(), "1");
    assert.equal(await trainer.getByLabel("Dataset", { exact: true }).inputValue(), "spiral");
    await trainer.getByRole("button", { name: "Step", exact: true }).click();
    await waitForSteps(trainer, 1);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    await rm(file, { force: true });
  }
});

test(`dist JS + WASM is at most ${GZIP_LIMIT_BYTES / 1000} KB gzipped (both builds, one Emscripten glue)`, async () => {
  const { rows, total } = await gzipReport(DIST_ROOT);
  const names = rows.map((r) => r.file);
  for (const expected of ["bn-widgets.js", "worker.js", "bn-simd.wasm", "bn-scalar.wasm"]) {
    assert.ok(names.includes(expected), `dist/${expected} is missing (have ${names.join(", ")})`);
  }
  // The glue is bundled once, for both builds (web/wasm/bn.mjs; loadBN's locateFile picks the .wasm).
  const glue = [];
  for (const r of rows.filter((x) => x.file.endsWith(".js"))) {
    if ((await readFile(`${DIST_ROOT}${r.file}`, "utf8")).includes("wasm-instantiate")) glue.push(r.file);
  }
  assert.equal(glue.length, 1, `the Emscripten glue is in ${glue.join(", ")}`);
  for (const r of rows) console.log(`${r.file.padEnd(28)} ${String(r.gzip).padStart(7)} B gzip`);
  console.log(`dist gzip total: ${total} B over ${rows.length} files; headroom ${GZIP_LIMIT_BYTES - total} B of ${GZIP_LIMIT_BYTES} B`);
  assert.ok(total <= GZIP_LIMIT_BYTES, `${total} B gzipped, ${total - GZIP_LIMIT_BYTES} B over the limit`);
});

// Both builds from dist/: the default (SIMD here) and ?wasm=scalar, which the
// widgets and their worker pass to loadBN; each fetches only its own .wasm.
for (const [query, build] of [["", "simd"], ["?wasm=scalar", "scalar"]]) {
  test(`course notes${query}: both widgets run the ${build} build from dist/, fetching only bn-${build}.wasm`, { timeout: 60_000 }, async () => {
    const { page, context, problems, requests } = await openRecording(browser, `${server.url}examples/course-notes.html${query}`);
    try {
      const stepper = page.locator("bn-stepper").first(), trainer = page.locator("bn-trainer").first();
      await stepper.getByRole("button", { name: "Next step", exact: true }).click({ timeout: 30_000 });
      await stepper.locator('[data-quantity="mean"][data-feature="1"]').first().waitFor();
      assert.equal(await stepper.locator("[data-wasm]").first().getAttribute("data-wasm"), build);
      await waitForFirstFrame(trainer);
      assert.equal(await trainer.locator(".bnt-root[data-wasm]").getAttribute("data-wasm"), build, "the worker's build");
      const wasm = [...new Set(requests.filter((u) => u.endsWith(".wasm")).map((u) => u.split("/").pop()))];
      assert.deepEqual(wasm, [`bn-${build}.wasm`]);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
}
