// What the stepper page loads before its first computed number (issue 16,
// page load): the JS files fetched by the time the first [data-quantity]
// appears are exactly its module entry and its modulepreload list (the
// modules at start, scripts/preload-list.mjs), none of the modules it
// imports only after the first number (the inference card, the
// normalization lab, the Conv2d fold, export, printing: DEFERRED), and
// those do load afterwards. Control: the same check on a copy of web/ whose
// mount.js imports lab-view.js statically again reports lab-view.js and its
// modules as fetched before the first number. Timing is the bench's job
// (bench/page-load.mjs), not this test's.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchBrowser, openPage, serve, WEB_ROOT } from "./browser.mjs";
import { deferredModules, expectedPreloads, moduleEntries } from "../../scripts/preload-list.mjs";

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

test("before its first number the stepper page fetches its entry and preload list, and no deferred module", { timeout: 60_000 }, async () => {
  const html = await readFile(join(WEB_ROOT, "index.html"), "utf8");
  const entries = moduleEntries(html);
  const deferred = deferredModules(WEB_ROOT, entries);
  for (const m of ["js/stepper/extras.js", "js/stepper/lab-view.js", "js/stepper/inference-view.js", "js/stepper/conv-fold-view.js",
    "js/stepper/export.js", "js/stepper/print-view.js", "js/stepper/steps-backward.js", "js/stepper/formulas-later.generated.js"])
    assert.ok(deferred.includes(m), `${m} is deferred`);

  const { atFirst, all, problems } = await modulesFetched(WEB_ROOT);
  assert.deepEqual(atFirst.filter((m) => deferred.includes(m)), [], "no deferred module before the first number");
  assert.deepEqual(sorted(atFirst), sorted([...entries, ...expectedPreloads(WEB_ROOT, html)]),
    "exactly the entry and the preload list (complete and not stale)");
  assert.deepEqual(deferred.filter((m) => !all.includes(m)), [], "every deferred module loads after the first number");
  assert.deepEqual(problems, [], "no console error, page error or CSP violation");
});

test("control: a deferred module imported statically again is fetched before the first number, and the check says so", { timeout: 60_000 }, async () => {
  const copy = await mkdtemp(join(tmpdir(), "bn-page-start-"));
  try {
    await cp(WEB_ROOT, copy, { recursive: true });
    const mount = join(copy, "js/stepper/mount.js");
    await writeFile(mount, `${await readFile(mount, "utf8")}\nimport "./lab-view.js";\n`);
    const html = await readFile(join(copy, "index.html"), "utf8");
    const { atFirst } = await modulesFetched(copy);
    const early = atFirst.filter((m) => deferredModules(WEB_ROOT, moduleEntries(html)).includes(m));
    for (const m of ["js/stepper/lab-view.js", "js/stepper/lab-steps-view.js", "js/stepper/lab-compute.js"]) assert.ok(early.includes(m), `${m} fetched early`);
    assert.ok(!early.includes("js/stepper/inference-view.js"), "only what the static import pulls in");
    // The preload list of that tree would list them as modules at start.
    assert.ok(expectedPreloads(copy, html).includes("js/stepper/lab-view.js"));
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
});
