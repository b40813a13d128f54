// The train/eval gap on the page (issue 14 items 3, 4 and 5): "Slow running
// statistics" (eval accuracy far below train mode, Recalibrate statistics
// closes the gap on the eval figures and curve; the momentum-0.1 control has
// no gap; its running-statistics view: the running variance far from the
// population's, then snapped onto it, against the control's that follows
// it), the running-statistics view opening, plotting and closing (nothing
// computed while closed), the Momentum control with null, batch size 1 refused in batch
// norm's panel with PyTorch's message and the normalizations that fix it,
// and 100 hidden layers accepted by the controls.
import { test } from "node:test";
import assert from "node:assert/strict";
import { axeViolations, openPage, useBrowserAndServer } from "./browser.mjs";
import { waitForFirstFrame, waitForSteps } from "./trainer-driver.mjs";
import { PRESET_CONFIGS } from "../../web/js/presets-config.js";

let browser, server;
useBrowserAndServer((b, s) => { browser = b; server = s; });

const figure = async (page, key, name) => Number(await page.locator(`[data-panel="${key}"]`).getAttribute(`data-${name}`));
const runningGap = async (page, key) => ({ mean: await figure(page, key, "running-mean-gap"), var: await figure(page, key, "running-var-gap") });

for (const seed of [1, 2]) {
  test(`"Slow running statistics", seed ${seed}: a large train/eval gap that Recalibrate statistics closes`, async () => {
    const { steps, thresholds: t } = PRESET_CONFIGS.slowStats;
    const { page, context, problems } = await openPage(browser,
      `${server.url}trainer.html#preset=slowStats&seed=${seed}&step=${steps}`);
    try {
      await waitForSteps(page, steps, 120_000);
      await page.waitForFunction(() => !document.querySelector(".bnt-status")?.textContent.includes("Training to"));
      const read = async (key) => ({ eval: await figure(page, key, "all-points-accuracy"),
        trainMode: await figure(page, key, "train-mode-all-points-accuracy") });
      const before = await read("bn"), control = await read("plain");
      // The preset opens the running-statistics view on both panels.
      const lag = await runningGap(page, "bn"), follows = await runningGap(page, "plain");
      console.log(`running vs population at ${steps} steps: momentum 0.001 ${JSON.stringify(lag)}, momentum 0.1 ${JSON.stringify(follows)}`);
      assert.ok(lag.var > 1 && follows.var < 0.05, "the slow running variance lags; the control's follows");
      assert.ok(lag.mean > 3 * follows.mean, "so does the running mean (less: the population mean is near 0)");
      assert.ok(await figure(page, "bn", "running-points") > 10, "the plot recorded the run");
      for (const key of ["bn", "plain"]) assert.ok(await page.locator(`[data-panel="${key}"] .bnt-running-stats`).evaluate((d) => d.open), key);
      console.log(`slowStats seed ${seed} at ${steps} steps: momentum 0.001 eval ${before.eval}, train mode ${before.trainMode}; ` +
        `momentum 0.1 eval ${control.eval}, train mode ${control.trainMode}`);
      assert.ok(before.trainMode - before.eval >= t.gapMin, `gap ${before.trainMode - before.eval}`);
      assert.ok(control.trainMode - control.eval <= t.controlGapMax, `control gap ${control.trainMode - control.eval}`);
      assert.ok(Number(await page.locator('[data-panel="bn"]').getAttribute("data-train-mode-accuracy")) >
        Number(await page.locator('[data-panel="bn"]').getAttribute("data-accuracy")), "the training-split figures show the gap too");

      await page.getByRole("button", { name: "Recalibrate statistics", exact: true }).click();
      await page.waitForFunction((v) => Number(document.querySelector('[data-panel="bn"]').dataset.allPointsAccuracy) !== v,
        before.eval, { timeout: 30_000 });
      const after = await read("bn");
      await page.waitForFunction((v) => Number(document.querySelector('[data-panel="bn"]').dataset.runningVarGap) !== v,
        lag.var, { timeout: 30_000 });
      const snapped = await runningGap(page, "bn");
      console.log(`after Recalibrate statistics: eval ${after.eval}, train mode ${after.trainMode}; running vs population ` +
        JSON.stringify(snapped));
      assert.ok(snapped.mean < 1e-5 && snapped.var < 0.05, "the running statistics snap onto the population");
      assert.ok(Math.abs(after.eval - after.trainMode) <= t.recalibratedWithin, `after: ${JSON.stringify(after)}`);
      assert.ok(after.eval - before.eval >= t.gapMin, `eval rose by ${after.eval - before.eval}`);
      assert.equal(await figure(page, "bn", "steps"), steps, "recalibrating is not a training step");
      // The eval curve of the accuracy chart ends at the recalibrated value.
      const accuracy = await figure(page, "bn", "accuracy");
      await page.waitForFunction((text) => document.querySelector('[data-panel="bn"] .bnt-mode-figure .u-legend')
        ?.textContent.includes(text), String(Number(accuracy.toPrecision(3))), { timeout: 10_000 });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
}

test("Running statistics vs the truth: closed, nothing is computed; open, the curves move", async () => {
  const { page, context, problems } = await openPage(browser, `${server.url}trainer.html#dataset=moons&momentum=0.01`);
  try {
    await waitForFirstFrame(page);
    const views = page.locator(".bnt-running-stats");
    const bnView = page.locator('[data-panel="bn"] .bnt-running-stats'), plainView = page.locator('[data-panel="plain"] .bnt-running-stats');
    assert.ok(await plainView.isHidden(), "no running statistics without batch norm");
    assert.equal(await bnView.evaluate((d) => d.open), false);
    await page.getByRole("button", { name: "Step", exact: true }).click();
    await waitForSteps(page, 1);
    assert.equal(await page.locator('[data-panel="bn"]').getAttribute("data-running-points"), null, "closed: no figures in the frames");
    await bnView.locator("summary").click();
    await page.waitForFunction(() => Number(document.querySelector('[data-panel="bn"]').dataset.runningPoints) >= 1);
    const first = await runningGap(page, "bn");
    await page.getByRole("button", { name: "Play", exact: true }).click();
    await page.waitForFunction(() => Number(document.querySelector('[data-panel="bn"]').dataset.runningPoints) >= 8, null, { timeout: 60_000 });
    await page.getByRole("button", { name: "Pause", exact: true }).click();
    const later = await runningGap(page, "bn");
    console.log(`momentum 0.01 on moons: running vs population ${JSON.stringify(first)} at step 1, ${JSON.stringify(later)} later`);
    assert.notDeepEqual(later, first, "the curves move");
    for (const name of ["Running mean against the population mean", "Running variance against the population variance"]) {
      const canvas = bnView.getByRole("img", { name: new RegExp(`^${name} of hidden layer 1's units 1 and 2, batch-norm network`) });
      assert.equal(await canvas.count(), 1, name);
      assert.ok((await canvas.boundingBox()).width > 100, name);
    }
    assert.match(await bnView.locator(".bnt-running-gap").textContent(), /^Over all 16 units of layer 1 at step \d+/);
    const serious = (await axeViolations(page)).filter((v) => v.impact === "serious" || v.impact === "critical");
    assert.deepEqual(serious, []);
    // Closed again: the frames carry no figures (after one step, in case a frame was on its way).
    await bnView.locator("summary").click();
    assert.equal(await bnView.evaluate((d) => d.open), false);
    const stepOnce = async () => {
      const steps = await figure(page, "bn", "steps");
      await page.getByRole("button", { name: "Step", exact: true }).click();
      await waitForSteps(page, steps + 1);
      return figure(page, "bn", "running-points");
    };
    const points = await stepOnce();
    assert.equal(await stepOnce(), points, "closed again: no new figures");
    assert.equal(await views.count(), 2);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("Momentum takes a number in [0, 1] or null (the cumulative average); a bad one is named and not applied", async () => {
  const { page, context, problems } = await openPage(browser, `${server.url}trainer.html`);
  try {
    await waitForFirstFrame(page);
    const momentum = page.getByLabel("Momentum", { exact: true });
    await momentum.fill("2");
    await momentum.press("Enter");
    assert.equal(await momentum.getAttribute("aria-invalid"), "true");
    assert.match(await page.locator(".bnt-control-momentum .bnt-error").textContent(), /^Momentum must be a number from 0 to 1, or null/);
    await momentum.fill("null");
    await momentum.press("Enter");
    assert.equal(await momentum.getAttribute("aria-invalid"), null);
    assert.match(await page.evaluate(() => location.hash), /momentum=null/);
    assert.match(await page.locator('[data-panel="bn"] .bnt-panel-network').textContent(), /momentum null \(cumulative average\)/);
    await page.getByRole("button", { name: "Step", exact: true }).click();
    await waitForSteps(page, 1);
    assert.ok(Number.isFinite(await figure(page, "bn", "train-mode-accuracy")));
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("batch size 1: batch norm's panel shows PyTorch's message and the fixes this build has; the other trains; axe", async () => {
  const { page, context, problems } = await openPage(browser, `${server.url}trainer.html#dataset=moons&batchSize=1&step=20`);
  try {
    await page.locator('[data-panel="bn"] .bnt-refused').waitFor({ timeout: 30_000 });
    const alert = page.locator('[data-panel="bn"]').getByRole("alert");
    assert.match(await alert.textContent(), /Expected more than 1 value per channel when training/);
    await page.waitForFunction(() => document.querySelector('[data-panel="plain"]').dataset.steps === "20");
    assert.doesNotMatch(await page.locator(".bnt-status").textContent(), /Training stopped/);
    const norms = await page.getByLabel("Normalization", { exact: true }).locator("option").allTextContents();
    assert.ok(norms.includes("batch") && norms.includes("none"), norms.join());
    const fixes = await alert.getByRole("button").allTextContents();
    const offered = ["layer", "group"].filter((n) => norms.includes(n));
    assert.deepEqual(fixes, offered.map((n) => `Use ${{ layer: "LayerNorm", group: "GroupNorm" }[n]}`),
      "a fix is offered exactly when the build trains that normalization");
    const serious = (await axeViolations(page)).filter((v) => v.impact === "serious" || v.impact === "critical");
    assert.deepEqual(serious, []);
    if (offered.length) {
      await alert.getByRole("button").first().click();
      assert.equal(await page.getByLabel("Normalization", { exact: true }).inputValue(), offered[0]);
      await waitForSteps(page, 5, 60_000);
      assert.ok(await page.locator('[data-panel="bn"] .bnt-refused').isHidden(), "the same network trains at batch 1");
    } else {
      console.log(`this build trains norm ${norms.join(", ")}: no fix to offer yet (layer and group are refused by the core)`);
    }
    // Batch size 2 trains with batch norm.
    await page.getByLabel("Batch size", { exact: true }).fill("2");
    await page.getByLabel("Batch size", { exact: true }).press("Enter");
    await page.getByRole("button", { name: "Step", exact: true }).click();
    await waitForSteps(page, 1);
    assert.ok(await page.locator('[data-panel="bn"] .bnt-refused').isHidden());
    assert.ok(Number.isFinite(await figure(page, "bn", "train-mode-accuracy")));
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("Hidden layers takes 100 layers (as the core does)", async () => {
  const { page, context, problems } = await openPage(browser, `${server.url}trainer.html`);
  try {
    await waitForFirstFrame(page);
    const hidden = page.getByLabel("Hidden layers", { exact: true });
    await hidden.fill("100x16");
    await hidden.press("Enter");
    assert.equal(await hidden.getAttribute("aria-invalid"), null);
    assert.match(await page.locator('[data-panel="bn"] .bnt-panel-network').textContent(), /^100 × 16 relu/);
    await page.getByRole("button", { name: "Step", exact: true }).click();
    await waitForSteps(page, 1);
    await hidden.fill("101");
    await hidden.press("Enter");
    assert.equal(await hidden.getAttribute("aria-invalid"), "true");
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
