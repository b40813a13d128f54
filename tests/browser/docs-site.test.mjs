// The docs-site recipe of docs/widgets.md: the MkDocs site in
// docs/recipes/mkdocs/ (Debian's mkdocs, 1.4), with dist/ copied to
// docs/bn-wasm/ as the recipe says, built with `mkdocs build --strict` and
// served with the strict CSP. Its page embeds both widgets; they must work
// with no console error, page error or CSP violation, nothing from another
// host, and the theme's own search still working. The control: the same site
// with the stock theme settings (no override) is refused by the policy, which
// is why the recipe has one.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { DIST_ROOT, launchBrowser, serve } from "./browser.mjs";
import { assertWidgetsWork, openRecording } from "./widget-page.mjs";

const run = promisify(execFile);
const REPO = fileURLToPath(new URL("../../", import.meta.url));
const RECIPE = join(REPO, "docs", "recipes", "mkdocs");
let work, browser, sites = {};

// Copies the recipe (and dist/ to docs/bn-wasm/), lets `adapt` change its
// mkdocs.yml, builds it and serves site/.
async function buildSite(name, adapt = (yml) => yml) {
  const dir = join(work, name);
  await cp(RECIPE, dir, { recursive: true });
  await cp(DIST_ROOT, join(dir, "docs", "bn-wasm"), { recursive: true });
  const yml = join(dir, "mkdocs.yml");
  await writeFile(yml, adapt(await readFile(yml, "utf8")));
  await run("mkdocs", ["build", "--strict", "--quiet"], { cwd: dir });
  return serve(join(dir, "site"));
}

before(async () => {
  await run(process.execPath, ["scripts/build-dist.mjs"], { cwd: REPO });
  work = await mkdtemp(join(tmpdir(), "bn-wasm-mkdocs-"));
  sites.recipe = await buildSite("recipe");
  sites.stock = await buildSite("stock", (yml) => yml.replace(/^\s+custom_dir:.*\n/m, "").replace(/^\s+highlightjs:.*\n/m, ""));
  browser = await launchBrowser();
}, { timeout: 120_000 });

after(async () => {
  await browser?.close();
  for (const site of Object.values(sites)) await site.close();
  if (work) await rm(work, { recursive: true, force: true });
});

test("the MkDocs recipe: both widgets work on the built page under the strict CSP", { timeout: 60_000 }, async () => {
  const opened = await openRecording(browser, sites.recipe.url);
  try {
    assert.match(await opened.page.locator("h1").first().textContent(), /Batch normalization/);
    await assertWidgetsWork(opened, { origin: sites.recipe.url, assets: "bn-wasm/" });
  } finally {
    await opened.context.close();
  }
});

test("the MkDocs recipe: the theme's search still works (its globals come from a file, not an inline script)", { timeout: 60_000 }, async () => {
  const opened = await openRecording(browser, `${sites.recipe.url}?q=trained`);
  try {
    await opened.page.waitForFunction(() => typeof window.base_url === "string" && typeof window.shortcuts?.search === "number");
    // ?q= runs a search at load (in the theme's own worker); the hits land in the search dialog.
    await opened.page.waitForFunction(() => document.querySelector("#mkdocs-search-results article"));
    assert.match(await opened.page.locator("#mkdocs-search-results article h3").first().textContent(), /trained live/i);
    assert.ok(opened.workers.some((u) => u.endsWith("/search/worker.js")), `workers: ${opened.workers.join(", ")}`);
    assert.deepEqual(opened.problems, []);
  } finally {
    await opened.context.close();
  }
});

test("the control: the stock theme settings break the policy (inline script, highlight.js from a CDN)", { timeout: 60_000 }, async () => {
  const opened = await openRecording(browser, sites.stock.url);
  try {
    await opened.page.waitForFunction(() => document.readyState === "complete");
    await opened.page.waitForTimeout(300);
    assert.ok(opened.problems.some((p) => /CSP violation/.test(p)), `problems: ${JSON.stringify(opened.problems)}`);
    assert.ok(opened.requests.some((u) => u.startsWith("https://cdnjs.cloudflare.com/")) ||
      opened.problems.some((p) => /cdnjs/.test(p)), "the stock theme asks a CDN for highlight.js");
  } finally {
    await opened.context.close();
  }
});
