// `import "bn-wasm/widgets"` from the npm package, as a course author's
// project uses it: the tarball installed into a fresh project
// (tests/js/pack-project.mjs), whose folder is served with the strict CSP.
//   - bundled: esbuild bundles src/app.js (import "bn-wasm/widgets") into
//     out/app.js, next to a copy of the package's dist/ (the worker, .wasm and
//     CSS the bundle finds through import.meta.url), as docs/widgets.md says;
//   - unbundled: a page loads node_modules/bn-wasm/dist/bn-widgets.js by path;
//   - the control: an import map is an inline script, so the strict CSP
//     blocks it (and this file's error collector sees that).
// Both widgets must start, compute and train, with every request same-origin.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cp, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { build } from "esbuild";
import { launchBrowser, openPage, serve } from "./browser.mjs";
import { waitForFirstFrame, waitForSteps } from "./trainer-driver.mjs";
import { packedProject } from "../js/pack-project.mjs";

let packed, browser, server;

const page = (title, head, assets = "node_modules/bn-wasm/dist/") => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>${title}</title><link rel="icon" href="${assets}favicon.svg">${head}</head><body><main>
<bn-stepper batch="4" features="2" data="1,2;3,5;2,0;4,1"></bn-stepper>
<bn-trainer dataset="moons" lr="0.5"></bn-trainer></main></body></html>`;

before(async () => {
  packed = await packedProject();
  const { project } = packed;
  await mkdir(join(project, "src"));
  await writeFile(join(project, "src", "app.js"), `import "bn-wasm/widgets";\n`);
  await build({ absWorkingDir: project, entryPoints: ["src/app.js"], bundle: true, format: "esm", outdir: "out", logLevel: "warning" });
  await cp(join(project, "node_modules", "bn-wasm", "dist"), join(project, "out"), { recursive: true });
  await writeFile(join(project, "bundled.html"), page("bundled", `<script type="module" src="out/app.js"></script>`, "out/"));
  await writeFile(join(project, "unbundled.html"), page("unbundled",
    `<script type="module" src="node_modules/bn-wasm/dist/bn-widgets.js"></script>`));
  await writeFile(join(project, "importmap.html"), page("import map",
    `<script type="importmap">{"imports":{"bn-wasm/widgets":"./node_modules/bn-wasm/dist/bn-widgets.js"}}</script>
<script type="module" src="src/app.js"></script>`));
  browser = await launchBrowser();
  server = await serve(project);
}, { timeout: 120_000 });

after(async () => {
  await browser?.close();
  await server?.close();
  await packed?.cleanup();
});

async function open(file) {
  const opened = await openPage(browser, null);
  const requests = [], workers = [];
  opened.page.on("request", (r) => requests.push(r.url()));
  opened.page.on("worker", (w) => workers.push(w.url()));
  await opened.page.goto(`${server.url}${file}`);
  return { ...opened, requests, workers };
}

// Both widgets work: the stepper computes the batch mean, the trainer trains a step.
async function assertWidgetsWork({ page, problems, requests, workers }, assetsPath) {
  const stepper = page.locator("bn-stepper");
  await stepper.getByLabel("x row 4 feature 2", { exact: true }).waitFor({ timeout: 30_000 });
  await stepper.getByRole("button", { name: "Next step", exact: true }).click();
  const mean = stepper.locator('[data-quantity="mean"][data-feature="2"]').first();
  await mean.waitFor();
  assert.equal(Number(await mean.getAttribute("data-value")), 2);
  const trainer = page.locator("bn-trainer");
  await waitForFirstFrame(trainer);
  await trainer.getByRole("button", { name: "Step", exact: true }).click();
  await waitForSteps(trainer, 1);
  assert.equal(workers.length, 1, `workers: ${workers.join(", ")}`);
  assert.ok(workers[0].startsWith(`${server.url}${assetsPath}worker.js`), `worker ${workers[0]}`);
  const wasm = requests.filter((u) => u.endsWith(".wasm"));
  assert.ok(wasm.length >= 1 && wasm.every((u) => u.startsWith(`${server.url}${assetsPath}`)), `wasm from ${wasm.join(", ")}`);
  assert.deepEqual(requests.filter((u) => !u.startsWith(server.url)), [], "requests to other hosts");
  assert.deepEqual(problems, []);
}

test("bundled with esbuild: `import \"bn-wasm/widgets\"` runs both widgets under the strict CSP", { timeout: 60_000 }, async () => {
  const opened = await open("bundled.html");
  try {
    await assertWidgetsWork(opened, "out/");
    assert.ok(!opened.requests.some((u) => u.includes("/node_modules/")), "the bundle needs nothing from node_modules at run time");
  } finally {
    await opened.context.close();
  }
});

test("unbundled: a static page loads node_modules/bn-wasm/dist/bn-widgets.js under the strict CSP", { timeout: 60_000 }, async () => {
  const opened = await open("unbundled.html");
  try {
    await assertWidgetsWork(opened, "node_modules/bn-wasm/dist/");
  } finally {
    await opened.context.close();
  }
});

test("the control: an import map is an inline script, which the strict CSP blocks", { timeout: 60_000 }, async () => {
  const opened = await open("importmap.html");
  try {
    await opened.page.waitForFunction(() => document.readyState === "complete");
    await opened.page.waitForTimeout(500);
    assert.ok(opened.problems.some((p) => /CSP violation: script-src/.test(p)), `problems: ${JSON.stringify(opened.problems)}`);
    assert.equal(await opened.page.locator("bn-stepper .bn-widget").count(), 0, "the widgets did not start");
  } finally {
    await opened.context.close();
  }
});
