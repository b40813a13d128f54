// What the stepper page loads before its first computed number (issue 16,
// page load). The page's start is bundled (scripts/build-page.mjs ->
// web/build/): the JS files fetched by the time the first [data-quantity]
// appears are exactly the bundle's start (its entry and the outputs it
// imports statically, from web/build/meta.json), no unbundled module of
// web/js, and no output holding a module imported only after the first
// number (the inference card, the normalization lab, the Conv2d fold,
// export, printing: scripts/page-modules.mjs); those load afterwards.
// Control: the bundle of a copy of web/ whose mount.js imports lab-view.js
// statically again: lab-view.js is then fetched before the first number.
// Timing is the bench's job (bench/page-load.mjs), not this test's.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchBrowser, openPage, serve, WEB_ROOT } from "./browser.mjs";
import { PAGE_ENTRIES, deferredModules } from "../../scripts/page-modules.mjs";
import { buildPage, sourcesOf, startOutputs } from "../../scripts/build-page.mjs";

const HASH = "#x=1,2;3,5;2,0;4,1&step=1";
let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

// Runs in the page before its scripts: at the first [data-quantity], the
// JS files whose fetch has completed (a module has to be fetched before the
// module importing it runs).
function recordAtFirstNumber() {
  new MutationObserver((_, observer) => {
    if (!document.querySelector("[data-quantity]")) return;
    observer.disconnect();
    window.__jsAtFirstNumber = performance.getEntriesByType("resource").map((e) => e.name);
  }).observe(document, { childList: true, subtree: true });
}

const jsPaths = (urls, base) => urls.map((u) => new URL(u).href).filter((u) => u.startsWith(base) && /\.m?js$/.test(u))
  .map((u) => u.slice(base.length));

// The JS files (paths relative to web/) fetched before the first number,
// and all those fetched once every section is in place.
async function modulesFetched(root) {
  const server = await serve(root);
  const { context, page, problems } = await openPage(browser, null);
  try {
    await page.addInitScript(recordAtFirstNumber);
    await page.goto(`${server.url}index.html${HASH}`);
    await page.waitForFunction(() => window.__jsAtFirstNumber !== undefined, null, { timeout: 30_000 });
    await page.locator(".bns[aria-busy]").waitFor({ state: "detached" });
    await page.locator(".card-inference [data-quantity]").first().waitFor();
    const atFirst = jsPaths(await page.evaluate(() => window.__jsAtFirstNumber), server.url);
    const all = jsPaths(await page.evaluate(() => performance.getEntriesByType("resource").map((e) => e.name)), server.url);
    return { atFirst, all, problems };
  } finally {
    await context.close();
    await server.close();
  }
}

const sorted = (xs) => [...new Set(xs)].sort();
// The outputs of a bundle that hold one of `modules`.
const holding = (meta, modules) => Object.keys(meta.outputs).filter((f) => f.endsWith(".js") && sourcesOf(meta, f).some((m) => modules.includes(m)));

test("before its first number the stepper page fetches its bundle's start, and nothing deferred or unbundled", { timeout: 60_000 }, async () => {
  const meta = JSON.parse(await readFile(join(WEB_ROOT, "build", "meta.json"), "utf8"));
  const deferredOutputs = holding(meta, deferredModules(WEB_ROOT, PAGE_ENTRIES));
  assert.ok(deferredOutputs.length >= 1, "the deferred sections are outputs of their own");
  const { atFirst, all, problems } = await modulesFetched(WEB_ROOT);
  assert.deepEqual(sorted(atFirst), sorted(startOutputs(meta)), "exactly the bundle's start");
  assert.deepEqual(all.filter((f) => !f.startsWith("build/")), [], "no unbundled module, ever");
  assert.deepEqual(deferredOutputs.filter((f) => !all.includes(f)), [], "the deferred outputs load after the first number");
  assert.deepEqual(problems, [], "no console error, page error or CSP violation");
});

test("control: a deferred module imported statically again is fetched before the first number, and the check says so", { timeout: 60_000 }, async () => {
  const copy = await mkdtemp(join(tmpdir(), "bn-page-start-"));
  try {
    await cp(WEB_ROOT, copy, { recursive: true });
    const mount = join(copy, "js/stepper/mount.js");
    await writeFile(mount, `${await readFile(mount, "utf8")}\nimport "./lab-view.js";\n`);
    const meta = await buildPage(copy);
    const { atFirst } = await modulesFetched(copy);
    assert.ok(atFirst.includes(holding(meta, ["js/stepper/lab-view.js"])[0]), "the output holding lab-view.js is fetched early");
    const inference = holding(meta, ["js/stepper/inference-view.js"]);
    assert.ok(inference.length && inference.every((f) => !atFirst.includes(f)), "only what the static import pulls in");
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
});
