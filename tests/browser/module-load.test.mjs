// loadBN without a bundler under the strict CSP (no 'unsafe-eval'): in the
// page's main thread and in a module Web Worker, both builds, no console
// error, page error or CSP violation. Serves the repo root so that the
// fixture page can import /web/js/bn.js as a course author's page would.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { openPage, useBrowserAndServer } from "./browser.mjs";
import { STRICT_CSP } from "../../scripts/serve.mjs";
import { loadBN } from "../../web/js/bn.js";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
let browser, server;
useBrowserAndServer((b, s) => { browser = b; server = s; }, REPO_ROOT);

test("the strict CSP forbids eval", () => {
  assert.doesNotMatch(STRICT_CSP, /'unsafe-eval'/);
  assert.match(STRICT_CSP, /script-src 'self' 'wasm-unsafe-eval'/);
});

test("loadBN works in the main thread and in a module Web Worker under the strict CSP", { timeout: 60_000 }, async () => {
  const { context, page, problems } = await openPage(browser, null);
  try {
    const response = await page.goto(`${server.url}tests/browser/fixtures/module-load.html`);
    assert.equal(response.headers()["content-security-policy"], STRICT_CSP);
    await page.waitForFunction(() => window.__moduleLoad !== undefined, null, { timeout: 30_000 });
    const result = await page.evaluate(() => window.__moduleLoad);

    // What Node computes, to compare bit for bit.
    const expected = [];
    for (const simd of [true, false]) {
      const bn = await loadBN({ simd });
      const layer = new bn.BatchNorm1d(3);
      const y = Array.from(layer.forward([0.5, -1, 2, 1.5, 0, -2, -0.5, 3, 1, 2.5, 1, 0], 4));
      const dx = Array.from(layer.backward([1, 0.5, -1, 0, 2, 1, -1, 1, 0.5, 0.25, -2, 1]).dx);
      expected.push({ y, dx, version: bn.version });
      layer.dispose();
    }

    for (const where of ["main", "worker"]) {
      const got = result[where];
      assert.equal(got.error, undefined, `${where}: ${got.error}`);
      assert.equal(got.builds.length, 2);
      got.builds.forEach((b, i) => {
        const label = `${where} ${i === 0 ? "SIMD" : "scalar"}`;
        assert.equal(b.simdSupported, true, `${label}: chromium supports WASM SIMD`);
        assert.equal(b.simd, i === 0, label);
        assert.equal(b.version, expected[i].version, label);
        assert.equal(b.memory, true, `${label}: bn.memory`);
        assert.deepEqual(b.y, expected[i].y, `${label}: y as in Node`);
        assert.deepEqual(b.dx, expected[i].dx, `${label}: dx as in Node`);
        assert.match(b.badMessage, /Expected more than 1 value per channel when training/, label);
        assert.equal(b.numBatchesTracked, 1, label);
      });
    }
    assert.deepEqual(problems, [], "no console error, page error or CSP violation");
  } finally {
    await context.close();
  }
});
