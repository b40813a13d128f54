// mountStepper as the <bn-stepper> widget uses it: two steppers on one page,
// one in light DOM and one in a shadow root, each with its own state, the
// hooks of docs/page-hooks.md scoped to each, no duplicate ids, styles applied
// inside the shadow root, the URL left alone, and destroy() cleaning up.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { openPage, useBrowserAndServer } from "./browser.mjs";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
let browser, server;
useBrowserAndServer((b, s) => { browser = b; server = s; }, REPO_ROOT);

test("two steppers on one page (light DOM and shadow root) work independently", { timeout: 30_000 }, async () => {
  const { context, page, problems } = await openPage(browser, `${server.url}tests/browser/fixtures/stepper-two.html`);
  try {
    await page.waitForFunction(() => window.__steppers !== undefined, null, { timeout: 20_000 });
    const light = page.locator("#light");
    const shadow = page.locator("#shadow-host");   // playwright locators pierce open shadow roots
    assert.equal(await light.getByRole("button", { name: "Eval", exact: true }).getAttribute("aria-pressed"), "true");
    assert.equal(await shadow.getByRole("button", { name: "Train", exact: true }).getAttribute("aria-pressed"), "true");
    assert.equal(await shadow.getByRole("textbox", { name: "x row 2 feature 3", exact: true }).inputValue(), "1");
    assert.equal(await shadow.getByRole("textbox", { name: "gamma feature 1", exact: true }).inputValue(), "2");

    await shadow.getByRole("button", { name: "Next step", exact: true }).click();
    const mean = await shadow.locator('[data-quantity="mean"][data-feature="3"]').first().getAttribute("data-value");
    assert.equal(Number(mean), 1.5);
    assert.match(await light.locator(".progress").textContent(), /step 1 of 8/, "the other stepper did not move");
    assert.equal(await light.locator('.panel [data-quantity="mean"]').count(), 0, "it still shows the batch step");
    assert.equal(page.url().includes("#"), false, "syncUrl: false leaves the URL alone");

    // Styles reach inside the shadow root; KaTeX renders there too.
    await shadow.getByRole("button", { name: "Next step", exact: true }).click();
    const bg = await shadow.locator(".card").first().evaluate((e) => getComputedStyle(e).borderRadius);
    assert.equal(bg, "10px");
    assert.ok(await shadow.locator(".katex").count() > 0);

    const ids = await page.evaluate(() => {
      const all = [...document.querySelectorAll("[id]"), ...document.getElementById("shadow-host").shadowRoot.querySelectorAll("[id]")].map((e) => e.id);
      return { total: all.length, unique: new Set(all).size };
    });
    assert.equal(ids.unique, ids.total, "no id is used twice");

    const state = await page.evaluate(() => window.__steppers.inShadow.getState());
    assert.equal(state.step, 2);
    assert.equal(state.eps, "0.001");
    await page.evaluate(() => window.__steppers.light.destroy());
    assert.equal(await light.locator(".bns").count(), 0);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
