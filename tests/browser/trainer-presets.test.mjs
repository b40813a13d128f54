// The preset UI: every preset button of web/js/presets-config.js sets its
// networks and caption and starts training; a control is one click away
// (and a second click goes back); the caption gives the figures over seeds;
// the layer-statistics view, the headline figure; axe on a preset with its
// controls. The claims themselves: trainer-claims.test.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { axeViolations, openPage, useBrowserAndServer } from "./browser.mjs";
import { waitForFirstFrame, waitForSteps } from "./trainer-driver.mjs";
import { PRESET_CONFIGS, presetOptions } from "../../web/js/presets-config.js";

let browser, server;
useBrowserAndServer((b, s) => { browser = b; server = s; });

test("each preset button sets the config's networks, explains itself with figures over seeds and starts training", async () => {
  const { page, context, problems } = await openPage(browser, `${server.url}trainer.html`);
  try {
    await waitForFirstFrame(page);
    const names = await page.getByRole("group", { name: "Presets" }).getByRole("button").allTextContents();
    assert.deepEqual(names, Object.values(PRESET_CONFIGS).map((p) => p.name));
    for (const [id, preset] of Object.entries(PRESET_CONFIGS)) {
      await page.getByRole("button", { name: preset.name, exact: true }).click();
      assert.equal(await page.getByRole("button", { name: preset.name, exact: true }).getAttribute("aria-pressed"), "true");
      const bn = presetOptions(id, "bn");
      assert.equal(await page.getByLabel("Batch size", { exact: true }).inputValue(), String(bn.batchSize), id);
      assert.equal(await page.getByLabel("Learning rate", { exact: true }).inputValue(), String(bn.lr), id);
      assert.equal(await page.getByLabel("Activation", { exact: true }).inputValue(), bn.activation, id);
      const text = await page.locator(".bnt-explanation").textContent();
      assert.match(text, /seeds 1–5/, `${id}: the caption says what holds over seeds`);
      assert.match(text, new RegExp(`step ${preset.steps}\\b`), id);
      // The line under each title is the network the panel trains.
      const lines = await page.locator(".bnt-panel-network").allTextContents();
      assert.match(lines[0], new RegExp(`^${bn.hidden.length} × ${bn.hidden[0]} ${bn.activation}`), `${id}: ${lines[0]}`);
      assert.match(await page.evaluate(() => location.hash), new RegExp(`preset=${id}`));
      const controls = page.getByRole("group", { name: "Controls of the preset" }).getByRole("button");
      assert.deepEqual(await controls.allTextContents(), preset.controls.map((c) => c.label), id);
      await waitForSteps(page, 10);
      // Where the pair is not with / without batch norm, the titles say what it is.
      const titles = await page.locator(".bnt-panel-title").allTextContents();
      const expected = { placement: ["Batch norm before the activation", "Batch norm after the activation"],
        slowStats: ["Batch norm, momentum 0.001", "Batch norm, momentum 0.1"] }[id] ?? ["With batch norm", "Without batch norm"];
      assert.deepEqual(titles, expected, id);
    }
    await page.getByRole("button", { name: "Pause", exact: true }).click();
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("a preset's control is one click: the alternative networks, pressed, in the URL; a second click goes back", async () => {
  const { page, context, problems } = await openPage(browser, `${server.url}trainer.html`);
  try {
    await waitForFirstFrame(page);
    await page.getByRole("button", { name: "Aggressive learning rate", exact: true }).click();
    const modest = page.getByRole("button", { name: "Same networks at the modest rate", exact: true });
    assert.equal(await page.getByLabel("Learning rate", { exact: true }).inputValue(), "3");
    await modest.click();
    assert.equal(await modest.getAttribute("aria-pressed"), "true");
    assert.equal(await page.getByLabel("Learning rate", { exact: true }).inputValue(), "0.1");
    assert.match(await page.locator(".bnt-control-text").textContent(), /99\.8 %/);
    assert.match(await page.evaluate(() => location.hash), /preset=aggressive.*control=modest|control=modest.*preset=aggressive/);
    const lines = await page.locator(".bnt-panel-network").allTextContents();
    assert.ok(lines.every((l) => l.includes("lr 0.1")), lines.join(" | "));
    await waitForSteps(page, 10);
    await modest.click();
    assert.equal(await modest.getAttribute("aria-pressed"), "false");
    assert.equal(await page.getByLabel("Learning rate", { exact: true }).inputValue(), "3");
    assert.doesNotMatch(await page.evaluate(() => location.hash), /control=/);
    // A setting changed by hand leaves the preset.
    await page.getByLabel("Learning rate", { exact: true }).fill("0.5");
    await page.getByLabel("Learning rate", { exact: true }).press("Enter");
    assert.equal(await page.locator(".bnt-preset[aria-pressed=true]").count(), 0);
    assert.ok(await page.locator(".bnt-caption").isHidden());
    await page.getByRole("button", { name: "Pause", exact: true }).click();
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("Standardized inputs shows each layer's activation-input mean and std for both networks; Minibatch noise heads with the test loss; axe", async () => {
  const { page, context, problems } = await openPage(browser, `${server.url}trainer.html#preset=standardized&step=100`);
  try {
    await waitForSteps(page, 100, 60_000);
    for (const key of ["bn", "plain"]) {
      const panel = page.locator(`[data-panel="${key}"]`);
      assert.ok(await panel.locator(".bnt-layer-stats").isVisible(), key);
      assert.ok(await panel.getByRole("img", { name: /Standard deviation of each hidden layer's activation input/ }).count() > 0);
      assert.ok(Number(await panel.getAttribute("data-pre-std-range")) >= 1, key);
    }
    const violations = await axeViolations(page);
    const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    assert.deepEqual(serious, [], JSON.stringify(violations));
    await page.goto("about:blank");
    await page.goto(`${server.url}trainer.html#preset=noise&control=fullBatch&step=20`);
    await waitForSteps(page, 20, 60_000);
    for (const key of ["bn", "plain"]) {
      const headline = page.locator(`[data-panel="${key}"] .bnt-headline`);
      assert.equal(await headline.count(), 1);
      assert.equal(await headline.locator("dt").textContent(), "Test loss");
      assert.ok(await page.locator(`[data-panel="${key}"] .bnt-layer-stats`).isHidden());
    }
    assert.equal(await page.getByRole("button", { name: /^Batch norm on the whole training split/ }).getAttribute("aria-pressed"), "true");
    const noiseViolations = (await axeViolations(page)).filter((v) => v.impact === "serious" || v.impact === "critical");
    assert.deepEqual(noiseViolations, []);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
