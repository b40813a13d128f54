// The trainer's charts and captions at lecture size: the loss curves are
// uPlot charts (under the strict CSP) whose axis text is at least 12 CSS px
// on the canvas, with a legend that shows the latest values and the values
// under the pointer; every text in the panels is at least 12 px; train and
// test points are explained; the Hidden layers box never cuts its text; no
// "1 steps".
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPage, useBrowserAndServer } from "./browser.mjs";
import { readPanel, trainFor, waitForFirstFrame, waitForSteps } from "./trainer-driver.mjs";

let browser, server;
useBrowserAndServer((b, s) => { browser = b; server = s; });

// Records every fillText on a canvas as the size it shows at, in CSS px:
// font px × (CSS width / canvas width).
function recordCanvasText() {
  window.__canvasText = [];
  const fillText = CanvasRenderingContext2D.prototype.fillText;
  CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
    const canvas = this.canvas;
    const px = Number(/(\d+(\.\d+)?)px/.exec(this.font)?.[1]);
    const scale = canvas.clientWidth ? canvas.clientWidth / canvas.width : 1;
    window.__canvasText.push({ text: String(text), cssPx: px * scale, label: canvas.getAttribute("aria-label") ?? "" });
    return fillText.call(this, text, ...rest);
  };
}

test("loss charts: uPlot, 12 px axis text, the latest values in the legend, values under the pointer", async () => {
  const { page, context, problems } = await openPage(browser, undefined, { width: 1024, height: 768 });
  try {
    await page.addInitScript(recordCanvasText);
    await page.goto(`${server.url}trainer.html#hidden=16,16&seed=2`);
    await waitForFirstFrame(page);
    const { bn } = await trainFor(page, 60);
    const chart = page.locator('[data-panel="bn"] .bnt-loss');
    await chart.locator(".uplot").waitFor();
    const canvas = chart.getByRole("img", { name: "Loss curves of the batch-norm network" });
    assert.equal(await canvas.count(), 1);

    const drawn = await page.evaluate(() => window.__canvasText);
    const lossText = drawn.filter((t) => t.label.startsWith("Loss curves"));
    assert.ok(lossText.some((t) => t.text === "step") && lossText.some((t) => t.text === "loss"), JSON.stringify(lossText.slice(0, 8)));
    const smallest = Math.min(...drawn.map((t) => t.cssPx));
    console.log(`canvas text: ${drawn.length} labels drawn, smallest ${smallest.toFixed(1)} CSS px`);
    assert.ok(smallest >= 12, `a canvas label at ${smallest} px: ${JSON.stringify(drawn.find((t) => t.cssPx < 12))}`);

    // Away from the plot the legend holds the latest values: the step and the train loss shown.
    const legend = chart.locator(".u-legend");
    assert.match(await legend.getAttribute("aria-label"), /values at the latest step/);
    const cells = async () => (await legend.locator(".u-value").allTextContents()).map((s) => s.trim());
    const [step, , train] = await cells();
    assert.equal(Number(step), bn.steps);
    assert.equal(Number(train), Number(bn.loss.toPrecision(3)));
    // Over the plot's left edge it shows the values of an early step.
    const over = chart.locator(".u-over");
    await over.scrollIntoViewIfNeeded();   // below the fold at 1024 × 768 since the panels show train-mode figures
    const box = await over.boundingBox();
    await page.mouse.move(box.x + 3, box.y + box.height / 2);
    await page.waitForFunction((el) => Number(el.querySelector(".u-value").textContent) < 10, await legend.elementHandle());
    const hovered = await cells();
    assert.ok(Number(hovered[0]) < 10, `hover step ${hovered[0]}`);
    await page.mouse.move(0, 0);
    await page.waitForFunction((el) => Number(el.querySelector(".u-value").textContent) > 10, await legend.elementHandle());
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("every text in the panels is at least 12 px; train and test points are explained; no \"1 steps\"", async () => {
  const { page, context, problems } = await openPage(browser, `${server.url}trainer.html`, { width: 1024, height: 768 });
  try {
    await waitForFirstFrame(page);
    await page.getByRole("button", { name: "Step", exact: true }).click();
    await waitForSteps(page, 1);
    const small = await page.evaluate(() => {
      const found = [];
      const walker = document.createTreeWalker(document.querySelector(".bnt-root"), NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (!n.textContent.trim() || !n.parentElement.checkVisibility()) continue;
        const px = parseFloat(getComputedStyle(n.parentElement).fontSize);
        if (px < 12) found.push(`${n.textContent.trim().slice(0, 30)}: ${px}px`);
      }
      return found;
    });
    assert.deepEqual(small, []);
    const key = page.locator('[data-panel="bn"] .bnt-point-key');
    assert.match(await key.textContent(), /training point.*test point \(held out\)/);
    assert.match(await page.locator('[data-panel="bn"] canvas.bnt-heatmap').getAttribute("aria-label"), /training points \(filled\).*test points \(rings\)/);
    assert.doesNotMatch(await page.locator("body").innerText(), /\b1 steps\b/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("the Hidden layers box shows a long list of widths whole", async () => {
  const { page, context, problems } = await openPage(browser, `${server.url}trainer.html#hidden=16,16,16,16,16,16,16,16`,
    { width: 1024, height: 768 });
  try {
    await waitForFirstFrame(page);
    const box = page.getByLabel("Hidden layers", { exact: true });
    const fits = () => box.evaluate((el) => el.scrollWidth <= el.clientWidth + 1);
    assert.equal(await box.inputValue(), "16,16,16,16,16,16,16,16");
    assert.ok(await fits(), "the list is cut");
    await box.fill("");
    await box.pressSequentially("128,128,128,64,64,32,");
    assert.ok(await fits(), "typing a longer list cuts it");
    assert.equal((await readPanel(page, "bn")).steps, 0);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
