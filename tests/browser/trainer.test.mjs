// The live trainer page (web/trainer.html), served with the strict CSP:
// it trains both networks in one Web Worker, Play/Pause/Step/Reset work, the
// settings live in the URL, bad settings are refused with a message, and
// batch norm wins the "Aggressive learning rate" preset.
import { test } from "node:test";
import assert from "node:assert/strict";
import { axeViolations, openPage, useBrowserAndServer } from "./browser.mjs";
import { readPanel, settle, trainFor, waitForFirstFrame, waitForSteps } from "./trainer-driver.mjs";

let browser, server;
useBrowserAndServer((b, s) => { browser = b; server = s; });

async function openTrainer(hash = "") {
  const opened = await openPage(browser, null);
  const workers = [];
  opened.page.on("worker", (w) => workers.push(w.url()));
  await opened.page.goto(`${server.url}trainer.html${hash}`);
  await waitForFirstFrame(opened.page);
  return { ...opened, workers };
}

test("Play trains both networks in one worker; Pause stops them", async () => {
  const { page, context, problems, workers } = await openTrainer();
  try {
    for (const name of ["With batch norm", "Without batch norm"]) {
      await page.getByRole("region", { name, exact: true }).getByRole("heading", { name, exact: true }).waitFor();
    }
    const start = await readPanel(page, "bn");
    assert.equal(start.steps, 0);
    assert.ok(start.loss > 0 && Number.isFinite(start.loss), `initial loss ${start.loss}`);
    const { bn, plain } = await trainFor(page, 50);
    assert.ok(bn.steps >= 50 && bn.steps === plain.steps, `steps ${bn.steps} / ${plain.steps}`);
    assert.ok(bn.accuracy >= 0 && bn.accuracy <= 1, `accuracy ${bn.accuracy}`);
    assert.notEqual(bn.loss, start.loss);
    const paused = await settle(page);
    await page.waitForTimeout(500);
    assert.equal((await readPanel(page, "bn")).steps, paused, "steps moved after Pause");
    assert.ok(await page.getByRole("button", { name: "Play", exact: true }).isVisible());
    assert.equal(workers.length, 1, `workers: ${workers.join(", ")}`);
    assert.ok(!workers[0].startsWith("blob:"), "worker must be same-origin, not blob:");
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("Step advances one minibatch step, Reset returns to step 0", async () => {
  const { page, context, problems } = await openTrainer();
  try {
    await page.getByRole("button", { name: "Step", exact: true }).click();
    await waitForSteps(page, 1);
    await page.getByRole("button", { name: "Step", exact: true }).click();
    await waitForSteps(page, 2);
    assert.equal((await readPanel(page, "plain")).steps, 2);
    await page.getByRole("button", { name: "Reset", exact: true }).click();
    await page.locator('[data-panel="bn"][data-steps="0"]').waitFor();
    await page.locator('[data-panel="plain"][data-steps="0"]').waitFor();
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("settings live in the URL and a link reopens them", async () => {
  const { page, context, problems } = await openTrainer("#dataset=moons&lr=0.5&hidden=32,8&activation=tanh&seed=7");
  try {
    assert.equal(await page.getByLabel("Dataset", { exact: true }).inputValue(), "moons");
    assert.equal(await page.getByLabel("Learning rate", { exact: true }).inputValue(), "0.5");
    assert.equal(await page.getByLabel("Hidden layers", { exact: true }).inputValue(), "32,8");
    assert.equal(await page.getByLabel("Activation", { exact: true }).inputValue(), "tanh");
    await page.getByLabel("Learning rate", { exact: true }).fill("3");
    await page.getByLabel("Learning rate", { exact: true }).press("Enter");
    await page.getByLabel("Batch size", { exact: true }).fill("8");
    await page.getByLabel("Batch size", { exact: true }).press("Enter");
    await page.waitForFunction(() => location.hash.includes("lr=3") && location.hash.includes("batchSize=8"));
    const hash = await page.evaluate(() => location.hash);
    assert.match(hash, /dataset=moons/);
    assert.match(hash, /seed=7/);
    const reopened = await openTrainer(hash);
    try {
      assert.equal(await reopened.page.getByLabel("Learning rate", { exact: true }).inputValue(), "3");
      assert.equal(await reopened.page.getByLabel("Batch size", { exact: true }).inputValue(), "8");
      assert.deepEqual(reopened.problems, []);
    } finally {
      await reopened.context.close();
    }
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("a bad setting is marked invalid, explained, and not applied", async () => {
  const { page, context, problems } = await openTrainer("#hidden=16,16");
  try {
    const hidden = page.getByLabel("Hidden layers", { exact: true });
    await hidden.fill("abc");
    await hidden.press("Enter");
    assert.equal(await hidden.getAttribute("aria-invalid"), "true");
    const messageId = await hidden.getAttribute("aria-describedby");
    assert.match(await page.locator(`#${messageId}`).textContent(), /Hidden layers/);
    assert.equal(await hidden.inputValue(), "abc");
    assert.match(await page.evaluate(() => location.hash), /hidden=16%2C16|hidden=16,16/);
    const lr = page.getByLabel("Learning rate", { exact: true });
    await lr.fill("0");
    await lr.press("Enter");
    assert.equal(await lr.getAttribute("aria-invalid"), "true");
    await hidden.fill("3");
    await hidden.press("Enter");
    assert.equal(await hidden.getAttribute("aria-invalid"), null);
    await page.waitForFunction(() => /hidden=16%2C16%2C16|hidden=16,16,16/.test(location.hash));
    // Valid on its own, refused by the Trainer: 20 samples leave 16 training
    // points, fewer than a batch of 32. The worker's message is shown.
    const samples = page.getByLabel("Samples", { exact: true });
    await samples.fill("20");
    await samples.press("Enter");
    await page.getByRole("status").filter({ hasText: "Training stopped" }).waitFor();
    assert.match(await page.getByRole("status").filter({ hasText: "Training stopped" }).textContent(), /batchSize/);
    await samples.fill("400");
    await samples.press("Enter");
    await page.locator('[data-panel="bn"][data-steps="0"]').waitFor();
    await page.getByRole("button", { name: "Step", exact: true }).click();
    await waitForSteps(page, 1);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("axe finds nothing serious or critical; Play works from the keyboard", async () => {
  const { page, context, problems } = await openTrainer();
  try {
    const violations = await axeViolations(page);
    const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    if (violations.length) console.log(`axe (minor): ${JSON.stringify(violations)}`);
    assert.deepEqual(serious, [], JSON.stringify(violations));
    await page.getByRole("button", { name: "Play", exact: true }).focus();
    await page.keyboard.press("Enter");
    await waitForSteps(page, 5);
    await page.keyboard.press("Enter");   // focus stays on the toggle, now named Pause
    await settle(page);
    assert.ok(await page.getByRole("button", { name: "Play", exact: true }).isVisible());
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
