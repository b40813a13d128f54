// The stepper page (web/index.html) driven as a student would: type a batch,
// step forward and backward, switch to eval, feed more batches, and compare
// every number it shows with an independent float64 computation here.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useBrowserAndServer } from "./browser.mjs";
import {
  openStepper, readQuantity, typeBatch, clickTimes, forwardRef, backwardRef, runningUpdate, assertAllClose, hashFor,
} from "./fixtures/stepper-helpers.mjs";

let browser, server;
useBrowserAndServer((b, s) => { browser = b; server = s; });

const X = [[1.5, -2, 10], [0.25, 3, 10], [-1, 0.5, 10], [2.75, 4, 10], [0.5, -1.25, 10]];
const GAMMA = [2, -0.5, 1.5], BETA = [0.25, 1, -3], EPS = 1e-5;

async function typeParams(page) {
  for (let k = 0; k < 3; k++) {
    await page.getByRole("textbox", { name: `gamma feature ${k + 1}`, exact: true }).fill(String(GAMMA[k]));
    await page.getByRole("textbox", { name: `beta feature ${k + 1}`, exact: true }).fill(String(BETA[k]));
  }
}

test("forward steps show the float64 values, highlight the cells used, and update the URL", { timeout: 30_000 }, async () => {
  const { context, page, problems } = await openStepper(browser, server.url);
  try {
    await typeBatch(page, X);
    await typeParams(page);
    const ref = forwardRef(X, { gamma: GAMMA, beta: BETA, eps: EPS });
    const panel = page.locator(".panel");
    assert.equal(await panel.locator("[data-quantity]").count(), 0, "step 0 shows no computed number");

    await clickTimes(page, "Next step", 1);
    assert.match(await panel.locator("h3").textContent(), /mean/i);
    assertAllClose(assert, await readQuantity(page, "mean"), ref.mean, "mean");
    assert.equal(await page.locator("input.cell.in-use").count(), 15, "all 15 x cells are highlighted for the mean");
    assert.match(await page.evaluate(() => location.hash), /step=1/);
    assert.ok(await panel.locator(".katex").count() >= 1, "the formula is typeset by KaTeX");

    await clickTimes(page, "Next step", 1);
    assertAllClose(assert, await readQuantity(page, "xCentered"), ref.xCentered, "xCentered");
    await clickTimes(page, "Next step", 1);
    assertAllClose(assert, await readQuantity(page, "var"), ref.var, "var");
    // Feature 3 is constant: variance 0, explained in place.
    assert.match(await page.locator(".bns").textContent(), /Feature 3 is constant/);
    await clickTimes(page, "Next step", 1);
    assertAllClose(assert, await readQuantity(page, "std"), ref.std, "std");
    assertAllClose(assert, await readQuantity(page, "invStd"), ref.invStd, "invStd");
    await clickTimes(page, "Next step", 1);
    assertAllClose(assert, await readQuantity(page, "xhat"), ref.xhat, "xhat");
    await clickTimes(page, "Next step", 1);
    assertAllClose(assert, await readQuantity(page, "y"), ref.y, "y");
    assert.equal(await page.locator('input[aria-label^="gamma"].in-use').count(), 3, "gamma highlighted for y");

    await clickTimes(page, "Next step", 1);
    const after1 = runningUpdate({ mean: [0, 0, 0], var: [1, 1, 1] }, X, 0.1);
    assertAllClose(assert, await readQuantity(page, "runningMean"), after1.mean, "runningMean");
    assertAllClose(assert, await readQuantity(page, "runningVar"), after1.var, "runningVar");
    assertAllClose(assert, await readQuantity(page, "runningVar", { attr: "data-before" }), [1, 1, 1], "runningVar before");
    assert.match(await panel.textContent(), /m\/\(m − 1\)/);
    assert.ok(await page.getByRole("button", { name: "Next step" }).isDisabled(), "forward ends at the running statistics");

    await clickTimes(page, "Previous step", 2);
    assert.match(await page.evaluate(() => location.hash), /step=5/);
    assertAllClose(assert, await readQuantity(page, "xhat"), ref.xhat, "xhat after going back");
    await page.getByRole("button", { name: "Reset", exact: true }).click();
    assert.match(await page.evaluate(() => location.hash), /step=0/);
    assert.equal(await page.getByRole("textbox", { name: "x row 2 feature 2", exact: true }).inputValue(), "3", "Reset keeps the data");
    assert.deepEqual(problems(), []);
  } finally {
    await context.close();
  }
});

test("backward steps match float64 gradients and the gradient check agrees", { timeout: 30_000 }, async () => {
  const { context, page, problems } = await openStepper(browser, server.url, { hash: hashFor({ x: X, gamma: GAMMA, beta: BETA }) });
  try {
    await page.getByRole("button", { name: "Backward", exact: true }).click();
    const DY = [[0.5, -1, 2], [1, 0.25, -1], [-0.75, 2, 0.5], [0, -0.5, 1], [2, 1, -2]];
    for (let i = 0; i < 5; i++) {
      for (let k = 0; k < 3; k++) await page.getByRole("textbox", { name: `dy row ${i + 1} feature ${k + 1}`, exact: true }).fill(String(DY[i][k]));
    }
    const ref = backwardRef(X, DY, { gamma: GAMMA, beta: BETA, eps: EPS });
    assertAllClose(assert, await readQuantity(page, "dy"), DY, "dy");
    await clickTimes(page, "Next step", 1);
    assertAllClose(assert, await readQuantity(page, "dbeta"), ref.dbeta, "dbeta");
    await clickTimes(page, "Next step", 1);
    assertAllClose(assert, await readQuantity(page, "dgamma"), ref.dgamma, "dgamma", 1e-4);
    await clickTimes(page, "Next step", 1);
    assertAllClose(assert, await readQuantity(page, "dxhat"), ref.dxhat, "dxhat");
    await clickTimes(page, "Next step", 1);
    // Feature 3 is constant: dσ² there is huge and ill-conditioned (ε decides it); compare features 1–2.
    const dvar = await readQuantity(page, "dvar");
    for (const k of [0, 1]) assert.ok(Math.abs(dvar.get(`${k + 1}:`) - ref.dvar[k]) < 1e-4 * (Math.abs(ref.dvar[k]) + 1e-3), `dvar ${k + 1}`);
    await clickTimes(page, "Next step", 1);
    assertAllClose(assert, await readQuantity(page, "dmean"), ref.dmean, "dmean", 1e-4);
    await clickTimes(page, "Next step", 1);
    const dx = await readQuantity(page, "dx");
    for (let i = 0; i < 5; i++) {
      for (const k of [0, 1]) {
        const got = dx.get(`${k + 1}:${i + 1}`), want = ref.dx[i][k];
        assert.ok(Math.abs(got - want) < 1e-4 * (Math.abs(want) + 0.05), `dx row ${i + 1} feature ${k + 1}: page ${got}, float64 ${want}`);
      }
    }
    assert.match(await page.locator(".panel").textContent(), /dx/);
    await page.getByRole("button", { name: "Check gradient" }).click();
    const rel = Number(await page.locator('[data-check="relError"]').getAttribute("data-value"));
    assert.ok(rel < 1e-2, `finite-difference relative error ${rel}`);
    assert.match(await page.locator(".check-result").textContent(), /agree/);

    // dy from the loss ½Σ(y − t)²: dy = y − t, shown in the (read-only) dy grid.
    await page.getByRole("radio", { name: /the loss/ }).check();
    await page.getByRole("textbox", { name: "target row 1 feature 1", exact: true }).fill("1");
    await page.getByRole("button", { name: "Reset", exact: true }).click();
    await clickTimes(page, "Next step", 6);
    const y = await readQuantity(page, "y");
    await page.getByRole("button", { name: "Backward", exact: true }).click();
    const dyLoss = await readQuantity(page, "dy");
    assert.ok(Math.abs(dyLoss.get("1:1") - (y.get("1:1") - 1)) < 1e-6, `dy = y − target: ${dyLoss.get("1:1")} vs ${y.get("1:1")}`);
    assert.ok(Math.abs(dyLoss.get("2:3") - y.get("2:3")) < 1e-6, "dy = y where the target is 0");
    const shownDy = Number(await page.getByRole("textbox", { name: "dy row 1 feature 1", exact: true }).inputValue());
    assert.ok(Math.abs(shownDy - dyLoss.get("1:1")) < 1e-4 * Math.abs(dyLoss.get("1:1")), "the read-only dy grid shows y − t");
    assert.deepEqual(problems(), []);
  } finally {
    await context.close();
  }
});

test("eval normalizes with the running statistics; Next batch moves them", { timeout: 30_000 }, async () => {
  const A = [[1, 2], [3, 5], [2, 0], [4, 1]];
  const { context, page, problems } = await openStepper(browser, server.url, { hash: hashFor({ x: A }) });
  try {
    await page.getByRole("button", { name: "Eval", exact: true }).click();
    assert.equal(await page.getByRole("button", { name: "Eval", exact: true }).getAttribute("aria-pressed"), "true");
    let running = runningUpdate({ mean: [0, 0], var: [1, 1] }, A, 0.1);
    await clickTimes(page, "Next step", 1);
    assertAllClose(assert, await readQuantity(page, "mean"), running.mean, "eval mean = running mean");
    assertAllClose(assert, await readQuantity(page, "batchMean"), forwardRef(A, { gamma: [1, 1], beta: [0, 0], eps: EPS }).mean, "batchMean");
    await clickTimes(page, "Next step", 2);
    assertAllClose(assert, await readQuantity(page, "var"), running.var, "eval var = running var");
    await clickTimes(page, "Next step", 3);
    const evalRef = forwardRef(A, { gamma: [1, 1], beta: [0, 0], eps: EPS, mean: running.mean, var: running.var });
    assertAllClose(assert, await readQuantity(page, "y"), evalRef.y, "eval y");

    // Feed the batch, get a new random one; the view uses both.
    await page.getByRole("button", { name: "Next batch" }).click();
    const B = [];
    for (let i = 0; i < 4; i++) {
      const row = [];
      for (let k = 0; k < 2; k++) row.push(Number(await page.getByRole("textbox", { name: `x row ${i + 1} feature ${k + 1}`, exact: true }).inputValue()));
      B.push(row);
    }
    assert.notDeepEqual(B, A, "a new batch was drawn");
    running = runningUpdate(running, B, 0.1);
    const evalB = forwardRef(B, { gamma: [1, 1], beta: [0, 0], eps: EPS, mean: running.mean, var: running.var });
    assertAllClose(assert, await readQuantity(page, "y"), evalB.y, "eval y after two batches");
    assert.match(await page.locator(".card-running").textContent(), /2 batches fed/);
    assert.equal(await page.locator(".card-running svg.chart").count(), 2);

    // Backward in eval goes through fixed statistics: dx = dy·γ/√(running var + ε), no dσ², no dμ.
    await page.getByRole("button", { name: "Backward", exact: true }).click();
    const dy = await readQuantity(page, "dy");
    await clickTimes(page, "Next step", 4);
    assert.match(await page.locator(".panel").textContent(), /no gradient flows/);
    assert.equal(await page.locator('[data-quantity="dvar"]').count(), 0);
    await clickTimes(page, "Next step", 2);
    const dx = await readQuantity(page, "dx");
    for (let i = 0; i < 4; i++) {
      for (let k = 0; k < 2; k++) {
        const want = dy.get(`${k + 1}:${i + 1}`) / Math.sqrt(running.var[k] + EPS);
        assert.ok(Math.abs(dx.get(`${k + 1}:${i + 1}`) - want) < 1e-5 * (Math.abs(want) + 1e-3), `eval dx ${i + 1},${k + 1}`);
      }
    }
    assert.deepEqual(problems(), []);
  } finally {
    await context.close();
  }
});

test("Keras convention: decay 0.99, eps 1e-3, biased moving variance", { timeout: 30_000 }, async () => {
  const A = [[1, 2], [3, 5], [2, 0], [4, 1]];
  const { context, page, problems } = await openStepper(browser, server.url, { hash: hashFor({ x: A }) });
  try {
    await page.getByRole("radio", { name: "Keras" }).check();
    assert.equal(await page.getByRole("textbox", { name: "eps", exact: true }).inputValue(), "0.001");
    assert.equal(await page.getByRole("textbox", { name: "momentum", exact: true }).inputValue(), "0.99");
    await clickTimes(page, "Next step", 7);
    const r = forwardRef(A, { gamma: [1, 1], beta: [0, 0], eps: 1e-3 });
    assertAllClose(assert, await readQuantity(page, "runningMean"), r.mean.map((v) => 0.01 * v), "Keras moving mean");
    assertAllClose(assert, await readQuantity(page, "runningVar"), r.var.map((v) => 0.99 + 0.01 * v), "Keras moving var (biased)");
    // The comparison table: PyTorch's unbiased running variance beside Keras's.
    const pyVar = Number(await page.locator('[data-convention="pytorch"][data-compare="var"][data-feature="1"]').getAttribute("data-value"));
    assert.ok(Math.abs(pyVar - (0.9 + 0.1 * r.var[0] * 4 / 3)) < 1e-5, `PyTorch running var ${pyVar}`);
    assert.deepEqual(problems(), []);
  } finally {
    await context.close();
  }
});
