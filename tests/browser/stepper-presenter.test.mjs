// The stepper in a lecture hall and on paper (issue 12, items 11 and 12):
// presenter mode (the toggle, fullscreen where allowed, the link, the
// <bn-stepper presenter> attribute, axe in light and dark), the keyboard
// shortcuts (→ / Space / ←, never while typing, only the stepper in use),
// 1024 × 768 at 150 % zoom (683 × 512 CSS px) with the highlighted cells and
// the formula on screen together at every step, the phone's scroll cue on
// the PyTorch/Keras table, and the print stylesheet.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { axeViolations, openPage, useBrowserAndServer } from "./browser.mjs";
import { openStepper } from "./fixtures/stepper-helpers.mjs";

let browser, server;
useBrowserAndServer((b, s) => { browser = b; server = s; }, fileURLToPath(new URL("../../", import.meta.url)));
const pageUrl = () => `${server.url}web/`;

const progress = (scope) => scope.locator(".progress").textContent();
const visibleBox = async (locator) => ((await locator.isVisible()) ? locator.boundingBox() : null);

test("presenter mode: the toggle goes fullscreen, large type, the grid beside the step; a link and axe (light, dark)", { timeout: 60_000 }, async () => {
  const { context, page, problems } = await openStepper(browser, pageUrl(), { width: 1280, height: 900 });
  try {
    const toggle = page.getByRole("button", { name: "Presenter mode" });
    assert.equal(await toggle.getAttribute("aria-pressed"), "false");
    const normalSize = await page.locator(".bns").evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
    await toggle.click();
    assert.equal(await toggle.getAttribute("aria-pressed"), "true");
    await page.waitForFunction(() => location.hash.includes("presenter=true"));
    await page.waitForFunction(() => document.fullscreenElement?.classList.contains("bns"));
    const size = await page.locator(".bns").evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
    assert.ok(size >= 1.3 * normalSize, `presenter type ${size}px vs ${normalSize}px`);
    assert.equal(await page.locator(".card-running").isVisible(), false);
    assert.equal(await page.locator(".card-export").isVisible(), false);
    const grid = await visibleBox(page.locator(".grid-x"));
    const panel = await visibleBox(page.locator(".panel"));
    assert.ok(grid && panel && grid.x + grid.width <= panel.x, `grid ${JSON.stringify(grid)} beside the step ${JSON.stringify(panel)}`);
    assert.deepEqual(await axeViolations(page), [], "presenter mode, light");
    // Esc leaves fullscreen and presenter mode.
    await page.keyboard.press("Escape");
    await page.waitForFunction(() => !document.fullscreenElement && !location.hash.includes("presenter"));
    assert.equal(await toggle.getAttribute("aria-pressed"), "false");
    assert.equal(await page.locator(".card-running").isVisible(), true);
    assert.deepEqual(problems(), []);
  } finally {
    await context.close();
  }
  // From a link (no click: no fullscreen, the stepper still covers the window), dark.
  const dark = await openStepper(browser, pageUrl(), { hash: "x=1,2;3,5;2,0;4,1&step=3&presenter=true", colorScheme: "dark" });
  try {
    assert.equal(await dark.page.getByRole("button", { name: "Presenter mode" }).getAttribute("aria-pressed"), "true");
    const box = await dark.page.locator(".bns").boundingBox();
    assert.deepEqual([box.x, box.y, box.width, box.height], [0, 0, 1280, 900], "covers the window");
    assert.deepEqual(await axeViolations(dark.page), [], "presenter mode, dark");
    assert.deepEqual(dark.problems(), []);
  } finally {
    await dark.context.close();
  }
});

test("keys: → and Space step forward (into the backward pass), ← back; never while typing or with Ctrl", { timeout: 30_000 }, async () => {
  const { context, page, problems } = await openStepper(browser, pageUrl());
  try {
    assert.match(await page.locator(".keys").textContent(), /→ or Space next step, ← previous step/);
    await page.keyboard.press("ArrowRight");
    assert.match(await progress(page), /step 2 of 8/);
    await page.keyboard.press(" ");
    assert.match(await progress(page), /step 3 of 8/);
    await page.keyboard.press("ArrowLeft");
    assert.match(await progress(page), /step 2 of 8/);
    await page.keyboard.press("Control+ArrowRight");
    assert.match(await progress(page), /step 2 of 8/, "Ctrl+→ is the browser's");
    const cell = page.getByRole("textbox", { name: "x row 1 feature 1", exact: true });
    await cell.focus();
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("End");
    await page.keyboard.type(" 5");
    assert.match(await progress(page), /step 2 of 8/, "typing in a cell moves nothing");
    assert.equal(await cell.inputValue(), "1 5");
    await cell.fill("1");
    await page.locator("h1").click();   // focus back on the page
    for (let i = 0; i < 6; i++) await page.keyboard.press("ArrowRight");
    assert.match(await progress(page), /^Forward pass · train mode · step 8 of 8/);
    await page.keyboard.press("ArrowRight");
    assert.match(await progress(page), /^Backward pass · train mode · step 1 of 7/, "→ goes on into the backward pass");
    await page.keyboard.press("ArrowLeft");
    assert.match(await progress(page), /^Forward pass · train mode · step 8 of 8/);
    await page.waitForFunction(() => location.hash.includes("step=7"));
    assert.deepEqual(problems(), []);
  } finally {
    await context.close();
  }
});

test("keys on a page of widgets move only the stepper in use; <bn-stepper presenter> takes the keys", { timeout: 30_000 }, async () => {
  const { context, page, problems } = await openPage(browser, `${server.url}tests/browser/fixtures/stepper-widget.html`);
  try {
    const full = page.locator("#full"), typed = page.locator("#typed");
    await full.getByRole("button", { name: "Next step", exact: true }).waitFor({ timeout: 20_000 });
    await typed.getByRole("button", { name: "Next step", exact: true }).waitFor({ timeout: 20_000 });
    await page.keyboard.press("ArrowRight");
    assert.match(await progress(full), /step 3 of 7/, "a widget does not take keys when nothing in it has the focus");
    assert.match(await progress(typed), /step 1 of 8/);
    await typed.getByRole("button", { name: "Train", exact: true }).focus();
    await page.keyboard.press("ArrowRight");
    assert.match(await progress(typed), /step 2 of 8/);
    assert.match(await progress(full), /step 3 of 7/);
    await page.evaluate(() => document.getElementById("full").setAttribute("presenter", ""));
    await full.locator('.bns[data-presenter="true"]').waitFor();
    await page.keyboard.press("ArrowRight");
    assert.match(await progress(full), /step 4 of 7/, "the presenter takes the keys");
    assert.match(await progress(typed), /step 2 of 8/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("1024 × 768 at 150 % (683 × 512): in presenter mode the highlighted cells and the formula are on screen together, every step", { timeout: 60_000 }, async () => {
  const viewport = { width: 683, height: 512 };
  const inView = (b) => b && b.x >= 0 && b.y >= 0 && b.x + b.width <= viewport.width + 0.5 && b.y + b.height <= viewport.height + 0.5;
  async function stepsTogether(page) {
    const out = [];
    for (let s = 0; s < 15; s++) {
      const used = await page.locator("input.in-use").evaluateAll((els) => els.map((e) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, width: r.width, height: r.height }; }));
      const formula = await page.locator(".panel .tex-display").first().boundingBox();
      const title = await progress(page);
      out.push({ title, together: used.every(inView) && inView(formula), used: used.length });
      await page.keyboard.press("ArrowRight");
    }
    return out;
  }
  const presenter = await openStepper(browser, pageUrl(), { ...viewport, hash: "x=1,2;3,5;2,0;4,1&presenter=true" });
  try {
    const steps = await stepsTogether(presenter.page);
    assert.equal(steps.length, 15);
    assert.ok(steps.filter((s) => s.used > 0).length >= 12);
    for (const s of steps) assert.ok(s.together, `presenter: ${s.title} has cells or formula off screen`);
    assert.deepEqual(presenter.problems(), []);
  } finally {
    await presenter.context.close();
  }
  // The control: the ordinary layout at that size cannot show both at once.
  const normal = await openStepper(browser, pageUrl(), { ...viewport, hash: "x=1,2;3,5;2,0;4,1" });
  try {
    await normal.page.locator("h1").click();
    const steps = await stepsTogether(normal.page);
    assert.ok(steps.some((s) => s.used > 0 && !s.together), "without presenter mode some step has them apart");
  } finally {
    await normal.context.close();
  }
});

test("a 360 px phone: the PyTorch/Keras table scrolls sideways with a visible cue", { timeout: 30_000 }, async () => {
  const { context, page, problems } = await openStepper(browser, pageUrl(), { width: 360, height: 740 });
  try {
    const region = page.getByRole("region", { name: "PyTorch and Keras compared" });
    const { scrollWidth, clientWidth } = await region.evaluate((e) => ({ scrollWidth: e.scrollWidth, clientWidth: e.clientWidth }));
    assert.ok(scrollWidth > clientWidth, `the table (${scrollWidth}px) is wider than its box (${clientWidth}px)`);
    assert.equal(await region.evaluate((e) => e.classList.contains("overflows")), true);
    const cue = region.locator("xpath=following-sibling::p[1]");
    assert.equal(await cue.textContent(), "Scroll sideways for more →");
    assert.ok(await cue.isVisible());
    await region.evaluate((e) => { e.scrollLeft = 100; });
    assert.ok(await region.evaluate((e) => e.scrollLeft) > 0, "it scrolls");
    assert.deepEqual(problems(), []);
  } finally {
    await context.close();
  }
  const wide = await openStepper(browser, pageUrl(), { width: 1280, height: 900 });
  try {
    assert.equal(await wide.page.locator(".scroll-cue").count(), 0, "no cue where everything fits");
  } finally {
    await wide.context.close();
  }
});

test("print: every step's formula with this batch's numbers, and no buttons", { timeout: 30_000 }, async () => {
  const { context, page, problems } = await openStepper(browser, pageUrl(), { hash: "x=1,2;3,5;2,0;4,1&step=2&presenter=true" });
  try {
    await page.emulateMedia({ media: "print" });
    await page.evaluate(() => window.dispatchEvent(new Event("beforeprint")));
    const sections = page.locator(".print-steps .print-step");
    assert.equal(await sections.count(), 8 + 7);
    const titles = await sections.locator("h3").allTextContents();
    assert.equal(titles[0], "Forward 1. The batch");
    assert.equal(titles[14], "Backward 7. dx: the gradient of the input");
    for (let i = 1; i < 15; i++) {
      assert.ok(await sections.nth(i).locator(".tex").count() > 0, `${titles[i]}: a formula`);
      assert.ok(await sections.nth(i).locator(".num").count() > 0 || i === 0, `${titles[i]}: numbers`);
      assert.ok(await sections.nth(i).isVisible(), `${titles[i]} is printed`);
    }
    const buttons = await page.locator("button").evaluateAll((els) => els.filter((e) => e.getClientRects().length > 0).map((e) => e.textContent));
    assert.deepEqual(buttons, [], "no button on paper");
    assert.equal(await page.locator(".bns .panel").isVisible(), false, "the live step is not printed twice");
    assert.equal(await page.locator(".bns").evaluate((e) => getComputedStyle(e).position), "static", "presenter mode prints as a page");
    await page.evaluate(() => window.dispatchEvent(new Event("afterprint")));
    assert.equal(await sections.count(), 0);
    // A real print (PDF) runs the same beforeprint / afterprint pair.
    await page.emulateMedia({ media: "screen" });
    await page.evaluate(() => addEventListener("beforeprint", () => { window.printedSteps = document.querySelectorAll(".print-step").length; }, { once: true }));
    const pdf = await page.pdf();
    assert.ok(pdf.length > 20_000, `PDF of ${pdf.length} bytes`);
    assert.equal(await page.evaluate(() => window.printedSteps), 15);
    assert.equal(await sections.count(), 0, "emptied after printing");
    assert.deepEqual(problems(), []);
  } finally {
    await context.close();
  }
});
