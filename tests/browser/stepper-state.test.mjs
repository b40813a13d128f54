// The stepper's state as a person meets it: what was typed survives a
// copied link exactly (a cell holding "1,5", "abc" or nothing), going to
// batch size 1 and back brings row 2 back, and a <bn-stepper> takes every
// field of the state table as an attribute (phase, step, dy source, targets…)
// and rebuilds when one changes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { openPage, useBrowserAndServer } from "./browser.mjs";
import { openStepper } from "./fixtures/stepper-helpers.mjs";

// Served from the repository root: the page at web/index.html, the widget fixture beside the tests.
const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
let browser, server, pageUrl;
useBrowserAndServer((b, s) => { browser = b; server = s; pageUrl = `${s.url}web/index.html`; }, REPO_ROOT);

const cell = (scope, name, i, k) => scope.getByRole("textbox", { name: `${name} row ${i} feature ${k}`, exact: true });
const setShape = async (page, label, value) => {
  await page.getByLabel(label, { exact: true }).fill(String(value));
  await page.getByLabel(label, { exact: true }).dispatchEvent("change");
};

test("typed text survives a copied link exactly; batch size 1 and back restores row 2", { timeout: 30_000 }, async () => {
  const { context, page, problems } = await openStepper(browser, pageUrl);
  try {
    const typed = [["1,5", "abc"], ["", "−2"], ["3;4", "%2C"], ["é ü", " 7 "]];
    for (let i = 0; i < 4; i++) for (let k = 0; k < 2; k++) await cell(page, "x", i + 1, k + 1).fill(typed[i][k]);
    const second = await openStepper(browser, await page.evaluate(() => location.href));
    try {
      for (let i = 0; i < 4; i++) {
        for (let k = 0; k < 2; k++) assert.equal(await cell(second.page, "x", i + 1, k + 1).inputValue(), typed[i][k], `x row ${i + 1} feature ${k + 1}`);
      }
      assert.equal(await second.page.getByLabel("Features", { exact: true }).inputValue(), "2", "the same shape");
      assert.equal(await cell(second.page, "x", 1, 1).getAttribute("aria-invalid"), "true");
    } finally {
      await second.context.close();
    }

    for (let i = 0; i < 4; i++) for (let k = 0; k < 2; k++) await cell(page, "x", i + 1, k + 1).fill(String(10 * i + k));
    await setShape(page, "Batch size", 1);
    assert.equal(await page.locator('input[aria-label^="x row 2"]').count(), 0);
    const narrowLink = await page.evaluate(() => location.href);
    await setShape(page, "Batch size", 2);
    assert.equal(await cell(page, "x", 2, 1).inputValue(), "10", "row 2 is back as typed");
    assert.equal(await cell(page, "x", 2, 2).inputValue(), "11");
    // also from a link made while row 2 was hidden
    const third = await openStepper(browser, narrowLink);
    try {
      await setShape(third.page, "Batch size", 4);
      assert.equal(await cell(third.page, "x", 4, 2).inputValue(), "31");
    } finally {
      await third.context.close();
    }
    assert.deepEqual(problems(), []);
  } finally {
    await context.close();
  }
});

test("a link can open with Earlier steps expanded, and the toggle is part of the link", { timeout: 30_000 }, async () => {
  const { context, page, problems } = await openStepper(browser, pageUrl, { hash: "x=1,2;3,5;2,0&step=3&earlier=true" });
  try {
    assert.equal(await page.locator("details.earlier").evaluate((d) => d.open), true);
    assert.equal(await page.locator("details.earlier .earlier-step").count(), 3, "the three steps before step 4");
    await page.getByText("Earlier steps", { exact: true }).click();
    await page.waitForFunction(() => !location.hash.includes("earlier="));
    await page.getByText("Earlier steps", { exact: true }).click();
    await page.waitForFunction(() => location.hash.includes("earlier=true"));
    await page.getByRole("button", { name: "Next step", exact: true }).click();
    assert.equal(await page.locator("details.earlier .earlier-step").count(), 4);
    assert.deepEqual(problems(), []);
  } finally {
    await context.close();
  }
});

test("<bn-stepper> takes every field as an attribute and rebuilds when one changes", { timeout: 30_000 }, async () => {
  const { context, page, problems } = await openPage(browser, `${server.url}tests/browser/fixtures/stepper-widget.html`);
  try {
    const full = page.locator("#full"), typed = page.locator("#typed");
    await full.getByRole("button", { name: "Next step", exact: true }).waitFor({ timeout: 20_000 });
    await typed.getByRole("button", { name: "Next step", exact: true }).waitFor({ timeout: 20_000 });
    assert.match(await full.locator(".progress").textContent(), /^Backward pass · eval mode · step 3 of 7/);
    assert.equal(await full.locator('input[aria-label^="x row"]').count(), 4, "batch 2 of the 3 rows given");
    assert.equal(await full.getByRole("textbox", { name: "eps", exact: true }).inputValue(), "0.002");
    assert.equal(await full.getByRole("textbox", { name: "momentum", exact: true }).inputValue(), "0.9");
    assert.equal(await full.getByRole("radio", { name: "Keras" }).isChecked(), true);
    assert.equal(await full.getByRole("radio", { name: /the loss/ }).isChecked(), true);
    assert.equal(await cell(full, "target", 2, 2).inputValue(), "1");
    assert.equal(await full.getByRole("textbox", { name: "gamma feature 1", exact: true }).inputValue(), "2");
    assert.equal(await full.getByLabel("Random mean", { exact: true }).inputValue(), "-1");
    assert.match(await full.locator(".card-running").textContent(), /2 batches fed in training/, "history plus this batch");
    assert.ok(await full.locator('[data-quantity="dgamma"]').count() > 0);
    assert.equal(await full.locator("details.earlier .earlier-step").count(), 8 + 2, "earlier: every forward step and two backward");

    assert.equal(await cell(typed, "x", 1, 1).inputValue(), "1,5");
    assert.equal(await cell(typed, "x", 1, 2).inputValue(), "abc");
    assert.equal(await cell(typed, "x", 2, 1).inputValue(), "");
    assert.equal(await cell(typed, "x", 3, 1).inputValue(), " 3");

    await page.evaluate(() => { document.getElementById("full").setAttribute("step", "5"); });
    await full.locator(".progress", { hasText: "step 6 of 7" }).waitFor();
    await page.evaluate(() => { document.getElementById("full").setAttribute("batch", "3"); });
    await cell(full, "x", 3, 2).waitFor();
    assert.equal(await cell(full, "x", 3, 2).inputValue(), "0", "the third row given comes back");
    assert.equal(page.url().includes("#"), false, "widgets leave the URL alone");
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
