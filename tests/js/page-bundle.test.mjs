// The pages' bundles (scripts/build-page.mjs -> web/build/, which
// web/index.html and web/trainer.html load): built from the sources as
// they are now (not stale); the trainer page's and its worker's outputs
// hold every module they import, with the trainer's assets at URLs that
// exist beside the bundle; the stepper page's start (the entry and what it imports statically) holds every
// module the page imports at start and none of those imported after the
// first number (scripts/page-modules.mjs, DEFERRED), which sit in outputs
// of their own. Controls: a deferred module imported statically again
// moves into the start; an eager import the build expects and no longer
// finds fails the build, naming it. tests/browser/page-start.test.mjs
// checks what the browser fetches before the first number.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cp, mkdtemp, readFile, readdir, rename, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFERRED, PAGE_ENTRIES, deferredModules, moduleGraph, startModules } from "../../scripts/page-modules.mjs";
import { buildPage, sourcesOf, startOutputs, EAGER_IMPORTS } from "../../scripts/build-page.mjs";

const webDir = fileURLToPath(new URL("../../web/", import.meta.url));

// A copy of web/'s sources (js/, wasm/ and vendor/: what the bundles read), with
// `edit(dir)` applied, then bundled there; removed afterwards.
async function buildCopy(edit = async () => {}) {
  const dir = await mkdtemp(join(tmpdir(), "bn-page-bundle-"));
  try {
    for (const sub of ["js", "wasm", "vendor"]) await cp(join(webDir, sub), join(dir, sub), { recursive: true });
    await edit(dir);
    return { dir, meta: await buildPage(dir) };
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}

test("web/build is what scripts/build-page.mjs makes of web/js now (run it after editing web/js)", async () => {
  const { dir } = await buildCopy();
  try {
    const fresh = (await readdir(join(dir, "build"))).filter((f) => f.endsWith(".js")).sort();
    const served = (await readdir(join(webDir, "build"))).filter((f) => f.endsWith(".js")).sort();
    assert.deepEqual(served, fresh, "the same files");
    for (const f of fresh) {
      assert.ok((await readFile(join(webDir, "build", f))).equals(await readFile(join(dir, "build", f))), `${f} is the same`);
    }
    for (const [page, bundle] of [["index.html", "page-index.js"], ["trainer.html", "trainer.js"]]) {
      const html = await readFile(join(webDir, page), "utf8");
      assert.ok(html.includes(`<script type="module" src="build/${bundle}"></script>`), `${page} loads build/${bundle}`);
      assert.doesNotMatch(html, /src="js\//, `${page} loads no unbundled module`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("the bundle's start holds every module imported at start and none of the deferred ones", async () => {
  const meta = JSON.parse(await readFile(join(webDir, "build", "meta.json"), "utf8"));
  const start = startOutputs(meta);
  const inStart = new Set(start.flatMap((f) => sourcesOf(meta, f)));
  const atStart = startModules(webDir, PAGE_ENTRIES);
  const deferred = deferredModules(webDir, PAGE_ENTRIES);
  assert.deepEqual(DEFERRED, ["js/stepper/extras.js"]);
  for (const m of ["js/stepper/extras.js", "js/stepper/lab-view.js", "js/stepper/inference-view.js", "js/stepper/conv-fold-view.js",
    "js/stepper/export.js", "js/stepper/print-view.js", "js/stepper/steps-backward.js", "js/stepper/tex-later.js",
    "js/stepper/formulas-later.generated.js"]) assert.ok(deferred.includes(m), `${m} deferred`);
  assert.deepEqual(atStart.filter((m) => !inStart.has(m)), [], "every module at start is in the start");
  assert.deepEqual(deferred.filter((m) => inStart.has(m)), [], "no deferred module is");
  for (const m of deferred) assert.ok(Object.keys(meta.outputs).some((f) => sourcesOf(meta, f).includes(m)), `${m} is bundled`);
  for (const m of ["js/page-index.js", "js/bn.js", "wasm/bn.mjs", "js/trainer-api.js", "js/stepper/mount.js", "js/stepper/formulas.generated.js"])
    assert.ok(inStart.has(m), `${m} in the start`);
  assert.ok(atStart.length > 40, `${atStart.length} modules at start`);
  for (const m of ["js/worker.js", "js/trainer-page/main.js", "js/widgets.js", "js/trainer-page/assets.js"])
    assert.ok(!inStart.has(m) && !atStart.includes(m), `${m} is not part of the stepper page`);
  for (const f of start) assert.ok(existsSync(join(webDir, f)), `${f} exists`);
});

test("the trainer page's and its worker's bundles hold every module they import; their assets exist beside them", async () => {
  const meta = JSON.parse(await readFile(join(webDir, "build", "meta.json"), "utf8"));
  for (const entry of ["js/trainer-page/main.js", "js/worker.js"]) {
    const outputs = Object.keys(meta.outputs).filter((f) => meta.outputs[f].entryPoint === entry);
    assert.equal(outputs.length, 1, `${entry} is an entry of the bundle`);
    const bundled = new Set(startOutputs(meta, entry).flatMap((f) => sourcesOf(meta, f)));
    const imported = moduleGraph(webDir, [entry]).filter((m) => m !== "js/trainer-page/assets.js");   // replaced in the bundle
    assert.deepEqual(imported.filter((m) => !bundled.has(m) && !Object.keys(meta.outputs).some((f) => sourcesOf(meta, f).includes(m))), [],
      `${entry}: every module it imports is bundled`);
  }
  // The trainer's assets as the bundle gives them (scripts/build-page.mjs, BUILD_ASSETS), resolved from build/.
  const bundleText = (await Promise.all(Object.keys(meta.outputs).filter((f) => f.endsWith(".js"))
    .map((f) => readFile(join(webDir, f), "utf8")))).join("\n");
  for (const path of ["./worker.js", "../wasm/", "../vendor/uplot/uPlot.min.css", "../css/trainer.css", "../vendor/katex/katex.min.css"]) {
    assert.ok(bundleText.includes(JSON.stringify(path)), `the bundle names ${path}`);
    assert.ok(existsSync(join(webDir, "build", path)), `build/${path} exists`);
  }
});

test("control: mount.js importing lab-view.js statically puts it and its modules in the start", async () => {
  const { dir, meta } = await buildCopy(async (d) => {
    const mount = join(d, "js/stepper/mount.js");
    await writeFile(mount, `${await readFile(mount, "utf8")}\nimport { createLabView } from "./lab-view.js";\n`);
  });
  try {
    const inStart = new Set(startOutputs(meta).flatMap((f) => sourcesOf(meta, f)));
    for (const m of ["js/stepper/lab-view.js", "js/stepper/lab-steps-view.js", "js/stepper/tex-later.js"]) assert.ok(inStart.has(m), m);
    assert.ok(!inStart.has("js/stepper/inference-view.js"), "only what the static import pulls in");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("control: an import() the build makes static and no longer finds fails the build, naming it", async () => {
  const [file, [call]] = Object.entries(EAGER_IMPORTS)[0];
  await assert.rejects(buildCopy(async (d) => {
    const path = join(d, file);
    await writeFile(path, (await readFile(path, "utf8")).replaceAll(call, "import(\"./stepper/mount.js?moved\")"));
  }), (e) => e.message.includes(`${file} no longer has ${call}`));
});

// An edit as an editor saves it: written beside the file, then renamed
// over it (the watcher never sees half a file).
async function saveAs(path, text) {
  await writeFile(`${path}.saving`, text);
  await rename(`${path}.saving`, path);
}

// npm start (scripts/serve.mjs --watch): an edit of web/js is in the
// bundles on the next build; a broken edit reports its error and leaves
// the last good bundles in place.
test("watchPage rebuilds the bundles after an edit of web/js, and keeps the last good ones on a broken edit", { timeout: 60_000 }, async () => {
  const { dir } = await buildCopy();
  const builds = [];
  let wake = () => {};
  const { watchPage } = await import("../../scripts/build-page.mjs");
  const ctx = await watchPage(dir, (errors) => { builds.push(errors); wake(); });
  const nextBuild = (count) => new Promise((resolveWait, reject) => {
    const timer = setTimeout(() => reject(new Error(`no build ${count} within 20 s (${builds.length} so far)`)), 20_000);
    wake = () => { if (builds.length >= count) { clearTimeout(timer); resolveWait(builds[count - 1]); } };
    wake();
  });
  const outputsText = async () => (await Promise.all((await readdir(join(dir, "build"))).filter((f) => f.endsWith(".js"))
    .map((f) => readFile(join(dir, "build", f), "utf8")))).join("\n");
  try {
    const mount = join(dir, "js/stepper/mount.js");
    const source = await readFile(mount, "utf8");
    await saveAs(mount, `${source}\nglobalThis.bnWatchMarker = "edited-${process.pid}";\n`);
    assert.deepEqual(await nextBuild(1), [], "the edit builds");
    assert.ok((await outputsText()).includes(`edited-${process.pid}`), "and is in the bundles");
    await saveAs(mount, `${source}\nthis is not JavaScript (\n`);
    const errors = await nextBuild(2);
    assert.ok(errors.length >= 1, "the broken edit is reported");
    assert.ok((await outputsText()).includes(`edited-${process.pid}`), "the last good bundles stay");
  } finally {
    await ctx.dispose();
    await rm(dir, { recursive: true, force: true });
  }
});

// The same through the command npm start runs (node scripts/serve.mjs --watch):
// it prints the address, and after an edit of the served tree's js/ it says
// so and serves the rebuilt bundle.
test("scripts/serve.mjs --watch serves the rebuilt bundle after an edit", { timeout: 60_000 }, async () => {
  const { dir } = await buildCopy();
  const { spawn } = await import("node:child_process");
  const server = spawn(process.execPath, [fileURLToPath(new URL("../../scripts/serve.mjs", import.meta.url)), dir, "--watch", "--port", "0"],
    { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  const printed = (pattern) => new Promise((resolveWait, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve.mjs did not print ${pattern} within 20 s: ${out}`)), 20_000);
    const check = () => { const m = out.match(pattern); if (m) { clearTimeout(timer); server.stdout.off("data", onData); resolveWait(m); } };
    const onData = (chunk) => { out += chunk; check(); };
    server.stdout.on("data", onData);
    check();
  });
  try {
    const [, url] = await printed(/Open (http:\/\/127\.0\.0\.1:\d+\/)/);
    const mount = join(dir, "js/stepper/mount.js");
    await saveAs(mount, `${await readFile(mount, "utf8")}\nglobalThis.bnServeMarker = "served-${process.pid}";\n`);
    await printed(/rebuilt after a change in web\/js/);
    const meta = JSON.parse(await (await fetch(`${url}build/meta.json`)).text());
    const texts = await Promise.all(Object.keys(meta.outputs).filter((f) => f.endsWith(".js")).map(async (f) => (await fetch(`${url}${f}`)).text()));
    assert.ok(texts.some((t) => t.includes(`served-${process.pid}`)), "the served bundle has the edit");
  } finally {
    server.kill();
    await rm(dir, { recursive: true, force: true });
  }
});
