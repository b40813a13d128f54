// `import "bn-wasm/widgets"` from the npm package, as a course author's
// project uses it: the tarball installed into a fresh project
// (tests/js/pack-project.mjs), whose folder is served with the strict CSP.
//   - bundled: esbuild bundles src/app.js (import "bn-wasm/widgets") into
//     out/app.js, next to a copy of the package's dist/ (the worker, .wasm and
//     CSS the bundle finds through import.meta.url), as docs/widgets.md says;
//   - unbundled: a page loads node_modules/bn-wasm/dist/bn-widgets.js by path;
//   - a classic-script loader (docs/recipes/jupyter-book/_static/bn-widgets-loader.js,
//     for sites that link classic scripts only), with dist/ copied to bn-wasm/;
//   - the control: an import map is an inline script, so the strict CSP
//     blocks it (and this file's error collector sees that).
// Both widgets must start, compute and train, with every request same-origin.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cp, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { build } from "esbuild";
import { launchBrowser, serve } from "./browser.mjs";
import { assertWidgetsWork, openRecording } from "./widget-page.mjs";
import { packedProject, REPO } from "../js/pack-project.mjs";

let packed, browser, server;

const page = (title, head, assets = "node_modules/bn-wasm/dist/") => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>${title}</title><link rel="icon" href="${assets}favicon.svg">${head}</head><body><main>
<bn-stepper batch="4" features="2" data="1,2;3,5;2,0;4,1"></bn-stepper>
<bn-trainer dataset="spiral" lr="1"></bn-trainer></main></body></html>`;

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
  await cp(join(project, "node_modules", "bn-wasm", "dist"), join(project, "bn-wasm"), { recursive: true });
  await cp(join(REPO, "docs", "recipes", "jupyter-book", "_static"), join(project, "_static"), { recursive: true });
  await writeFile(join(project, "loader.html"), page("classic loader", `<script src="_static/bn-widgets-loader.js"></script>`, "bn-wasm/"));
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

const open = (file) => openRecording(browser, `${server.url}${file}`);

// Opens `file`, checks both widgets with their files from `assets`, then runs `more(opened)`.
async function checkPage(file, assets, more = async () => {}) {
  const opened = await open(file);
  try {
    await assertWidgetsWork(opened, { origin: server.url, assets });
    await more(opened);
  } finally {
    await opened.context.close();
  }
}

test("bundled with esbuild: `import \"bn-wasm/widgets\"` runs both widgets under the strict CSP", { timeout: 60_000 }, () =>
  checkPage("bundled.html", "out/", async ({ requests }) => {
    assert.ok(!requests.some((u) => u.includes("/node_modules/")), "the bundle needs nothing from node_modules at run time");
  }));

test("unbundled: a static page loads node_modules/bn-wasm/dist/bn-widgets.js under the strict CSP", { timeout: 60_000 }, () =>
  checkPage("unbundled.html", "node_modules/bn-wasm/dist/"));

test("a classic script that imports the module (the Jupyter Book 1 loader) runs both widgets", { timeout: 60_000 }, () =>
  checkPage("loader.html", "bn-wasm/"));

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
