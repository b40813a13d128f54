// Every claim preset's claim, on the page: the preset's networks trained by
// a step=N link to the preset's steps (web/js/presets-config.js: steps and
// thresholds, calibrated over seeds 1-5 against PyTorch; tests/js/presets-*
// check the same claims in Node over all five seeds), read from the
// panels' data- attributes (docs/page-hooks.md), for seeds 1 and 2; and each
// control, trained the same way, where the effect must go.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPage, useBrowserAndServer } from "./browser.mjs";

import { PRESET_CONFIGS } from "../../web/js/presets-config.js";

const SEEDS = [1, 2];
let browser, server;
useBrowserAndServer((b, s) => { browser = b; server = s; });

// Both panels' figures once the link's networks reached the preset's steps.
async function trainedTo(id, { seed, control = "" }) {
  const { steps } = PRESET_CONFIGS[id];
  const hash = `#preset=${id}${control ? `&control=${control}` : ""}&seed=${seed}&step=${steps}`;
  const { page, context, problems } = await openPage(browser, `${server.url}trainer.html${hash}`);
  try {
    // Each panel at the steps, or diverged on the way (a diverged network stops counting).
    await page.waitForFunction((n) => ["bn", "plain"].every((key) => {
      const { steps, diverged } = document.querySelector(`[data-panel="${key}"]`).dataset;
      return Number(steps) >= n || diverged === "true";
    }), steps, { timeout: 240_000, polling: 200 });
    await page.waitForFunction(() => !document.querySelector(".bnt-status")?.textContent.includes("Training to"));
    const read = (key) => page.locator(`[data-panel="${key}"]`).evaluate((e) =>
      Object.fromEntries(Object.entries(e.dataset).map(([k, v]) => [k, ["panel", "diverged"].includes(k) ? v : Number(v)])));
    const figures = { bn: await read("bn"), plain: await read("plain") };
    for (const key of ["bn", "plain"]) {
      if (figures[key].diverged !== "true") assert.equal(figures[key].steps, steps, `${key}: steps`);
    }
    assert.equal(await page.locator(".bnt-preset[aria-pressed=true]").textContent(), PRESET_CONFIGS[id].name);
    // The depth lab names each network as its panel does (a preset's pair need not be "with / without batch norm").
    for (const key of ["bn", "plain"]) {
      assert.equal(await page.locator(`[data-depth-panel="${key}"] .bnt-depth-title`).textContent(),
        await page.locator(`[data-panel="${key}"] .bnt-panel-title`).textContent(), `${key}: the depth view's title`);
    }
    // So do the loss landscape's legends and its table (opened here where the preset leaves it closed).
    const titles = await page.locator(".bnt-panel-title").allTextContents();
    const landscape = page.locator('[data-view="landscape"]');
    if (!(await landscape.evaluate((part) => part.open))) await landscape.locator("summary").click();
    await page.waitForFunction((expected) => {
      const legends = [...document.querySelectorAll(".bnt-landscape .u-legend")];
      return legends.length === 4 && legends.every((legend) => JSON.stringify([...legend.querySelectorAll(".u-series .u-label")]
        .slice(1).map((label) => label.textContent)) === JSON.stringify(expected));   // slice(1): the x axis's
    }, titles).catch(async (error) => {
      const shown = await page.locator(".bnt-landscape .u-legend .u-label").allTextContents();
      throw new Error(`the landscape's legends show ${JSON.stringify(shown)}, the panels ${JSON.stringify(titles)}: ${error.message}`);
    });
    assert.deepEqual(await page.locator(".bnt-landscape-table th[data-net]").allTextContents(), titles, "the landscape table's columns");
    assert.deepEqual(problems, []);
    console.log(`${id}${control ? ` (${control})` : ""}, seed ${seed}, ${steps} steps: ` +
      ["bn", "plain"].map((k) => `${k} ${JSON.stringify(figures[k])}`).join("; "));
    return figures;
  } finally {
    await context.close();
  }
}

const fails = (accuracy, atMost) => Number.isNaN(accuracy) || accuracy <= atMost;   // diverged, or stalled

const CLAIMS = {
  async aggressive(t, seed) {
    const { bn, plain } = await trainedTo("aggressive", { seed });
    assert.ok(bn.allPointsAccuracy >= t.bnAccuracyMin, `bn at the high rate: ${bn.allPointsAccuracy}`);
    assert.ok(fails(plain.allPointsAccuracy, t.plainAccuracyMax), `plain at the high rate: ${plain.allPointsAccuracy}`);
    const modest = await trainedTo("aggressive", { seed, control: "modest" });
    for (const key of ["bn", "plain"]) {
      assert.ok(modest[key].allPointsAccuracy >= t.modestAccuracyMin, `${key} at the modest rate: ${modest[key].allPointsAccuracy}`);
    }
  },
  async standardized(t, seed) {
    const { bn, plain } = await trainedTo("standardized", { seed });
    assert.ok(bn.preStdRange <= t.bnStdRangeMax, `bn std range ${bn.preStdRange}`);
    assert.ok(plain.preStdRange >= t.plainStdRangeMin, `plain std range ${plain.preStdRange}`);
  },
  async noise(t, seed) {
    const { bn, plain } = await trainedTo("noise", { seed });
    assert.ok(plain.testLoss - bn.testLoss >= t.testLossMarginOverPlain, `test loss bn ${bn.testLoss}, plain ${plain.testLoss}`);
    const full = await trainedTo("noise", { seed, control: "fullBatch" });
    assert.ok(full.bn.testLoss - bn.testLoss >= t.testLossMarginOverFullBatch,
      `test loss bn ${bn.testLoss}, bn on the whole split ${full.bn.testLoss}`);
  },
  async deep(t, seed) {
    const { bn, plain } = await trainedTo("deep", { seed });
    assert.ok(bn.allPointsAccuracy >= t.bnAccuracyMin, `bn ${bn.allPointsAccuracy}`);
    assert.ok(fails(plain.allPointsAccuracy, t.plainAccuracyMax), `plain ${plain.allPointsAccuracy}`);
    assert.ok(plain.gradRatio <= t.plainGradRatioMax, `plain gradient ratio ${plain.gradRatio}`);
    const shallow = await trainedTo("deep", { seed, control: "shallow" });
    assert.ok(shallow.plain.allPointsAccuracy >= t.shallowAccuracyMin, `shallow plain ${shallow.plain.allPointsAccuracy}`);
  },
  async residual100(t, seed) {
    const { bn, plain } = await trainedTo("residual100", { seed });
    assert.ok(bn.allPointsAccuracy >= t.bothAccuracyMin, `residual + bn ${bn.allPointsAccuracy}`);
    assert.ok(fails(plain.allPointsAccuracy, t.aloneAccuracyMax), `plain ${plain.allPointsAccuracy}`);
    const alone = await trainedTo("residual100", { seed, control: "alone" });
    assert.ok(fails(alone.bn.allPointsAccuracy, t.aloneAccuracyMax), `bn alone ${alone.bn.allPointsAccuracy}`);
    assert.ok(fails(alone.plain.allPointsAccuracy, t.aloneAccuracyMax), `residual alone ${alone.plain.allPointsAccuracy}`);
  },
  async placement(t, seed) {
    const { bn: before, plain: after } = await trainedTo("placement", { seed });
    // Train mode, as scripts/preset-claims.mjs measures "both train" (the
    // after-network's eval accuracy swings from one checkpoint to the next).
    for (const [name, p] of [["before", before], ["after", after]]) {
      assert.ok(p.trainModeAllPointsAccuracy >= t.accuracyMin, `${name}: train-mode accuracy ${p.trainModeAllPointsAccuracy}`);
    }
    assert.ok(before.maxSaturation <= t.beforeSaturationMax, `before: saturation ${before.maxSaturation}`);
    assert.ok(after.maxSaturation >= t.afterSaturationMin, `after: saturation ${after.maxSaturation}`);
  },
};

for (const [id, claim] of Object.entries(CLAIMS)) {
  const preset = PRESET_CONFIGS[id];
  test(`"${preset.name}": its claim and its control on the page (thresholds ${JSON.stringify(preset.thresholds)})`,
    { timeout: 900_000 }, async () => {
      for (const seed of SEEDS) await claim(preset.thresholds, seed);
    });
}
