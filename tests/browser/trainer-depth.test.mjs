// The trainer's depth lab (web/js/trainer-page/depth-view.js), as a student
// reaches it: deep networks set up by URL options (the settings of
// web/js/presets-config.js, thresholds from there) and by the controls,
// the depth view read from its attributes (docs/page-hooks.md):
// - the vanishing-gradient picture of the deep sigmoid net over five
//   seeds: plain, layer 1's gradient norm orders of magnitude below the
//   last layer's and no training; batch norm, neither; control: the same
//   plain net with two layers trains;
// - depth 100: residual blocks with batch norm train, each alone does not
//   (the preset's claim and its control), and the depth view shows the
//   gradient reaching layer 1 with both and vanishing without either;
// - Santurkar et al.'s measures present and updating, sampled only while
//   their view is open; a click on a layer picks it for the histograms
//   without restarting; axe finds nothing with the lab open.
import { test } from "node:test";
import assert from "node:assert/strict";
import { axeViolations, openPage, useBrowserAndServer } from "./browser.mjs";
import { readPanel } from "./trainer-driver.mjs";
import { PRESET_CONFIGS, PRESET_SEEDS } from "../../web/js/presets-config.js";

let browser, server;
useBrowserAndServer((b, s) => { browser = b; server = s; });

// The URL hash of a preset's settings (base merged with one side's
// options), residual given separately since the two panels share it here.
function presetHash({ base }, { residual = false, hidden = base.hidden, seed, step }) {
  const widths = hidden.every((w) => w === hidden[0]) ? `${hidden.length}x${hidden[0]}` : hidden.join(",");
  return `#dataset=${base.dataset}&samples=${base.samples}&noise=${base.noise}&hidden=${widths}` +
    `&activation=${base.activation}&optimizer=${base.optimizer}&lr=${base.lr}&batchSize=${base.batchSize}` +
    `&residual=${residual ? "on" : "off"}&seed=${seed}&step=${step}`;
}

const depthPanel = (page, key) => page.locator(`[data-depth-panel="${key}"]`);
async function readDepth(page, key) {
  const data = await depthPanel(page, key).evaluate((e) => ({ ...e.dataset }));
  return { steps: Number(data.steps), gradFirst: Number(data.gradFirst), gradLast: Number(data.gradLast),
    gradRatio: Number(data.gradRatio), layers: Number(data.layers), maxSaturation: Number(data.maxSaturation) };
}

// Opens a link that trains to `step`, opens "Layer by layer" there and
// returns both panels' figures and depth views.
async function trainedDepth(hash, step) {
  const { page, context, problems } = await openPage(browser, `${server.url}trainer.html${hash}`);
  try {
    // A diverged network stops counting steps (docs/api.md): the link trains to `step` when the BN one is there.
    await page.locator(`[data-panel="bn"][data-steps="${step}"]`).waitFor({ timeout: 120_000 });
    await page.getByText("Layer by layer", { exact: false }).click();
    for (const key of ["bn", "plain"]) {
      const steps = (await readPanel(page, key)).steps;
      await page.locator(`[data-depth-panel="${key}"][data-steps="${steps}"]`).waitFor();
    }
    const result = {};
    for (const key of ["bn", "plain"]) result[key] = { ...(await readPanel(page, key)), depth: await readDepth(page, key) };
    assert.deepEqual(problems, []);
    return result;
  } finally {
    await context.close();
  }
}

const sci = (v) => v.toExponential(1);

test("deep sigmoid net: plain, layer 1's gradient vanishes (orders of magnitude below the last layer's); BN, not", { timeout: 600_000 }, async () => {
  const deep = PRESET_CONFIGS.deep;
  const { bnAccuracyMin, plainAccuracyMax, shallowAccuracyMin, plainGradRatioMax } = deep.thresholds;
  const shallow = deep.controls.find((c) => c.id === "shallow").panels.plain.hidden;
  for (const seed of PRESET_SEEDS) {
    const { bn, plain } = await trainedDepth(presetHash(deep, { seed, step: deep.steps }), deep.steps);
    const control = await trainedDepth(presetHash(deep, { seed, step: deep.steps, hidden: shallow }), deep.steps);
    console.log(`seed ${seed}: gradient norm layer 1 / layer ${plain.depth.layers}: plain ${sci(plain.depth.gradRatio)} ` +
      `(${sci(plain.depth.gradFirst)} / ${sci(plain.depth.gradLast)}), bn ${sci(bn.depth.gradRatio)}; accuracy bn ` +
      `${bn.accuracy.toFixed(3)}, plain ${plain.accuracy.toFixed(3)}, plain two layers ${control.plain.accuracy.toFixed(3)} ` +
      `(its ratio ${sci(control.plain.depth.gradRatio)})`);
    assert.equal(plain.depth.layers, deep.base.hidden.length);
    assert.ok(plain.depth.gradRatio < plainGradRatioMax, `seed ${seed}: plain ratio ${plain.depth.gradRatio}`);
    assert.ok(bn.depth.gradRatio > plainGradRatioMax, `seed ${seed}: bn ratio ${bn.depth.gradRatio}`);
    assert.ok(bn.accuracy >= bnAccuracyMin && plain.accuracy <= plainAccuracyMax, `seed ${seed}: ${bn.accuracy} / ${plain.accuracy}`);
    // Control: the plain net trains where it is shallow, and its gradient reaches layer 1.
    assert.ok(control.plain.accuracy >= shallowAccuracyMin, `seed ${seed}: shallow plain ${control.plain.accuracy}`);
    assert.ok(control.plain.depth.gradRatio > plainGradRatioMax, `seed ${seed}: shallow plain ratio ${control.plain.depth.gradRatio}`);
  }
});

test("100 layers: residual blocks and BN train, each alone does not; the gradient reaches layer 1 only with both", { timeout: 600_000 }, async () => {
  const preset = PRESET_CONFIGS.residual100;
  const { bothAccuracyMin, aloneAccuracyMax } = preset.thresholds;
  const { plainGradRatioMax } = PRESET_CONFIGS.deep.thresholds;   // "vanished": the deep preset's criterion
  const trains = (accuracy) => accuracy > aloneAccuracyMax;   // a diverged net (NaN) does not train
  for (const seed of PRESET_SEEDS.slice(0, 3)) {
    // residual on: the BN panel is residual + BN, the plain one residual alone.
    const withResidual = await trainedDepth(presetHash(preset, { seed, step: preset.steps, residual: true }), preset.steps);
    // residual off: BN alone, and neither.
    const without = await trainedDepth(presetHash(preset, { seed, step: preset.steps, residual: false }), preset.steps);
    console.log(`seed ${seed}: accuracy residual + BN ${withResidual.bn.accuracy.toFixed(3)}, residual alone ` +
      `${withResidual.plain.accuracy}, BN alone ${without.bn.accuracy.toFixed(3)}, neither ${without.plain.accuracy.toFixed(3)}; ` +
      `gradient norm layer 1 / layer 100: residual + BN ${sci(withResidual.bn.depth.gradRatio)}, neither ${sci(without.plain.depth.gradRatio)}`);
    assert.equal(withResidual.bn.depth.layers, 100);
    assert.ok(withResidual.bn.accuracy >= bothAccuracyMin, `seed ${seed}: residual + BN ${withResidual.bn.accuracy}`);
    assert.ok(!trains(withResidual.plain.accuracy), `seed ${seed}: residual alone ${withResidual.plain.accuracy}`);
    assert.ok(!trains(without.bn.accuracy), `seed ${seed}: BN alone ${without.bn.accuracy}`);
    assert.ok(!trains(without.plain.accuracy), `seed ${seed}: neither ${without.plain.accuracy}`);
    assert.ok(withResidual.bn.depth.gradRatio > plainGradRatioMax, `seed ${seed}: residual + BN ratio ${withResidual.bn.depth.gradRatio}`);
    assert.ok(!(without.plain.depth.gradRatio >= plainGradRatioMax), `seed ${seed}: neither, ratio ${without.plain.depth.gradRatio}`);
  }
});

test("the deep nets by the controls: Hidden layers up to 100, Residual blocks, BN placement; the link keeps them", async () => {
  const { page, context, problems } = await openPage(browser, `${server.url}trainer.html`);
  try {
    await page.locator('[data-panel="bn"][data-loss]').waitFor();
    await page.getByLabel("Hidden layers", { exact: true }).fill("100x16");
    await page.getByLabel("Hidden layers", { exact: true }).press("Enter");
    await page.getByLabel("Residual blocks", { exact: true }).selectOption("on");
    await page.getByLabel("BN placement", { exact: true }).selectOption("after");
    await page.getByLabel("Histogram layer", { exact: true }).fill("100");
    await page.getByLabel("Histogram layer", { exact: true }).press("Enter");
    await page.waitForFunction(() => /hidden=100x16/.test(location.hash) && /residual=on/.test(location.hash) &&
      /normPlacement=after/.test(location.hash) && /layer=100/.test(location.hash));
    await page.getByLabel("Hidden layers", { exact: true }).fill("101");
    await page.getByLabel("Hidden layers", { exact: true }).press("Enter");
    assert.equal(await page.getByLabel("Hidden layers", { exact: true }).getAttribute("aria-invalid"), "true");
    await page.getByRole("button", { name: "Step", exact: true }).click();
    await page.getByText("Layer by layer", { exact: false }).click();
    await page.locator('[data-depth-panel="bn"][data-layers="100"][data-grad-ratio]').waitFor();
    assert.match(await page.locator('[data-depth-panel="bn"] [data-layer-selected]').textContent(), /^Layer 100 /);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
