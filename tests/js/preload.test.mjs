// The stepper page's module preload list (web/index.html, written by
// scripts/preload-list.mjs): complete (every module the page imports at
// start is preloaded) and nothing stale (every preloaded module is one of
// them and exists), none of the modules imported after the first number
// (DEFERRED) preloaded, with controls showing the check sees a module left
// out, a stale one, the graph's depths, and a deferred module imported
// statically again. tests/browser/page-start.test.mjs checks the same in
// the browser (what it fetches before the first number).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFERRED, deferredModules, moduleEntries, preloadedModules, startModules, expectedPreloads, comparePreloads, withPreloads } from "../../scripts/preload-list.mjs";

const webDir = fileURLToPath(new URL("../../web/", import.meta.url));
const html = readFileSync(join(webDir, "index.html"), "utf8");

test("index.html preloads every module it imports at start, and nothing else", () => {
  const expected = expectedPreloads(webDir, html);
  const listed = preloadedModules(html);
  assert.deepEqual(comparePreloads(expected, listed), { missing: [], stale: [] },
    "run node scripts/preload-list.mjs --write");
  assert.equal(new Set(listed).size, listed.length, "no module listed twice");
  for (const m of listed) assert.ok(existsSync(join(webDir, m)), `${m} exists`);
  assert.ok(!listed.some((m) => m.endsWith(".wasm")), "no .wasm: the build is chosen at run time");
});

test("the graph reader finds the page's modules at every depth, and the dynamic imports of loadBN() and page-index.js", () => {
  assert.deepEqual(moduleEntries(html), ["js/page-index.js"]);
  const all = startModules(webDir, moduleEntries(html));
  // One module per depth of the static graph, the deepest last.
  for (const m of ["js/page-index.js", "js/bn.js", "js/batchnorm.js", "js/seam-heap.js", "js/stepper/tex.js",
    "js/stepper/formulas.generated.js"]) assert.ok(all.includes(m), m);
  // Imported by bn.js with import("..."), at start (loadBN runs on load).
  for (const m of ["wasm/bn.mjs", "js/trainer-api.js"]) assert.ok(all.includes(m), m);
  // Imported by page-index.js with import("..."), while the WASM loads.
  for (const m of ["js/stepper/mount.js", "js/stepper/steps-forward.js"]) assert.ok(all.includes(m), m);
  // Not part of the stepper page.
  for (const m of ["js/worker.js", "js/trainer-page/main.js", "js/widgets.js"]) assert.ok(!all.includes(m), m);
  assert.ok(all.length > 40, `${all.length} modules`);
});

test("the modules imported after the first number are not preloaded, and a static import of one again is seen", () => {
  assert.deepEqual(DEFERRED, ["js/stepper/extras.js"]);
  const entries = moduleEntries(html);
  const deferred = deferredModules(webDir, entries);
  for (const m of ["js/stepper/extras.js", "js/stepper/lab-view.js", "js/stepper/inference-view.js", "js/stepper/conv-fold-view.js",
    "js/stepper/export.js", "js/stepper/print-view.js", "js/stepper/steps-backward.js", "js/stepper/tex-later.js",
    "js/stepper/formulas-later.generated.js"]) assert.ok(deferred.includes(m), `${m} deferred`);
  const listed = preloadedModules(html);
  assert.deepEqual(listed.filter((m) => deferred.includes(m)), [], "no deferred module preloaded");
  assert.deepEqual(startModules(webDir, entries).filter((m) => deferred.includes(m)), [], "disjoint");
  // Control: mount.js importing lab-view.js statically makes it (and what it imports) a module at start.
  const mount = "js/stepper/mount.js";
  const read = (file) => readFileSync(join(webDir, file), "utf8") + (file === mount ? '\nimport { createLabView } from "./lab-view.js";\n' : "");
  const atStart = startModules(webDir, entries, { read });
  for (const m of ["js/stepper/lab-view.js", "js/stepper/lab-steps-view.js", "js/stepper/tex-later.js"]) assert.ok(atStart.includes(m), m);
  assert.ok(!deferredModules(webDir, entries, { read }).includes("js/stepper/lab-view.js"));
  assert.ok(comparePreloads(expectedPreloads(webDir, html, { read }), listed).missing.includes("js/stepper/lab-view.js"),
    "the page's list would then miss it");
});

test("controls: a module left out and a stale one are both reported", () => {
  const expected = expectedPreloads(webDir, html);
  const [first, ...rest] = expected;
  assert.deepEqual(comparePreloads(expected, [...rest, "js/old-module.js"]), { missing: [first], stale: ["js/old-module.js"] });
  const rewritten = withPreloads(html, rest);
  assert.deepEqual(comparePreloads(expected, preloadedModules(rewritten)).missing, [first]);
  assert.deepEqual(preloadedModules(withPreloads(html, expected)), expected, "--write gives the expected list");
});
