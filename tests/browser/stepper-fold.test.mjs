// The stepper's inference card (issue 14, items 1 and 2): eval as one
// linear map (scale a, shift b) and batch norm folded into a Linear layer
// (fusedWeight, fusedBias), with the numbers the page shows checked against
// a float64 computation from the inputs; a·x + b and the fused layer equal
// the eval output to float32 rounding, and in train mode the page says why
// they do not; the Linear layer's cells, Random weights and the link; the
// PyTorch snippet run in torch (fuse_linear_bn_eval) when python3-torch is
// installed; Download the fold as CSV holds the numbers the page shows; axe finds nothing in the card, in eval and train mode.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { axeViolations, useBrowserAndServer } from "./browser.mjs";
import { openStepper, readQuantity, runningUpdate, hashFor } from "./fixtures/stepper-helpers.mjs";

let browser, server;
useBrowserAndServer((b, s) => { browser = b; server = s; });

const X = [[1, 2], [3, 5], [2, 0], [4, 1]];
const GAMMA = [1.5, -0.7], BETA = [0.2, 1], EPS = 1e-5;
const W = [[0.3, -0.7], [1.2, 0.45]], B_LIN = [0.1, -2];
const HASH = hashFor({ x: X, gamma: GAMMA, beta: BETA, extra: `lw=${W.map((r) => r.join(",")).join(";")}&lb=${B_LIN.join(",")}` });
const f32 = Math.fround;
const ulp32 = (v) => 2 ** (Math.floor(Math.log2(Math.abs(f32(v)) || 2 ** -126)) - 23);

// fusedWeight entries: Map "I,J" → value.
async function readFused(page) {
  const entries = await page.locator('[data-quantity="fusedWeight"]').evaluateAll((els) =>
    els.map((e) => [`${e.dataset.row},${e.dataset.col}`, Number(e.dataset.value)]));
  return new Map(entries);
}
const foldValue = async (page, name) => Number(await page.locator(`[data-fold="${name}"]`).first().getAttribute("data-value"));

// The float64 fold from the typed inputs and running statistics computed
// here (this batch fed once in training from μ_run 0, σ²_run 1).
function float64Fold() {
  const run = runningUpdate({ mean: [0, 0], var: [1, 1] }, X, 0.1);
  const a = GAMMA.map((g, k) => f32(g) / Math.sqrt(run.var[k] + EPS));
  const b = a.map((ak, k) => f32(BETA[k]) - ak * run.mean[k]);
  const Wp = W.map((row, i) => row.map((w) => a[i] * f32(w)));
  const bp = a.map((ak, i) => ak * (f32(B_LIN[i]) - run.mean[i]) + f32(BETA[i]));
  return { run, a, b, Wp, bp };
}

test("eval: a, b, W′, b′ shown match float64, and a·x + b and the fused layer give the eval output", { timeout: 60_000 }, async () => {
  const { context, page, problems } = await openStepper(browser, server.url, { hash: `${HASH}&mode=eval` });
  try {
    const ref = float64Fold();
    const scale = await readQuantity(page, "scale"), shift = await readQuantity(page, "shift");
    const fusedBias = await readQuantity(page, "fusedBias"), fused = await readFused(page);
    const card = page.locator(".card-inference");
    // Against float64 with float64 running statistics: float32 storage of those moves a by ~1e-7 relative.
    const near = (got, want, what) => assert.ok(Math.abs(got - want) <= 4 * ulp32(want) + 1e-7, `${what}: page ${got}, float64 ${want}`);
    for (let k = 0; k < 2; k++) {
      near(scale.get(`${k + 1}:`), ref.a[k], `a ${k + 1}`);
      near(shift.get(`${k + 1}:`), ref.b[k], `b ${k + 1}`);
      near(fusedBias.get(`${k + 1}:`), ref.bp[k], `b′ ${k + 1}`);
      for (let j = 0; j < 2; j++) near(fused.get(`${k + 1},${j + 1}`), ref.Wp[k][j], `W′ ${k + 1},${j + 1}`);
    }
    assert.equal(fused.size, 4);
    // With the float32 running statistics the page shows, a is the correctly rounded γ/√(σ² + ε).
    const rv = await readQuantity(page, "runningVar");
    for (let k = 0; k < 2; k++) {
      const exact = f32(GAMMA[k]) / Math.sqrt(rv.get(`${k + 1}:`) + EPS);
      assert.ok(Math.abs(scale.get(`${k + 1}:`) - exact) <= 0.5 * ulp32(exact), `a ${k + 1} is γ/√(σ²_run + ε) rounded once`);
    }
    // The map, per row: a·x + b beside the layer's eval output y (the view's own y).
    const mapY = await readQuantity(page, "mapY", { attr: "data-fold" }), evalY = await readQuantity(page, "evalY", { attr: "data-fold" });
    const y = await readQuantity(page, "y");
    assert.equal(mapY.size, 8);
    for (const [key, v] of evalY) assert.equal(v, y.get(key) ?? v, `eval output ${key} is the view's y`);
    for (const [key, v] of mapY) assert.ok(Math.abs(v - evalY.get(key)) <= 4 * ulp32(Math.abs(v) + 5), `a·x + b ${key}`);
    assert.equal(await page.locator('[data-fold="mapVerdict"]').getAttribute("data-value"), "agree");
    assert.ok(await foldValue(page, "mapUlps") <= 4);
    // Both paths: z = W x + b_lin in float64, and the fused output equals BN(z) in eval.
    const z = await readQuantity(page, "z", { attr: "data-fold" });
    X.forEach((row, r) => W.forEach((w, i) => {
      const want = f32(B_LIN[i]) + w.reduce((s, wij, j) => s + f32(wij) * row[j], 0);
      assert.ok(Math.abs(z.get(`${i + 1}:${r + 1}`) - want) <= ulp32(want), `z row ${r + 1} output ${i + 1}`);
    }));
    assert.equal(await page.locator('[data-fold="foldVerdict"]').getAttribute("data-value"), "agree");
    assert.match(await card.textContent(), /The fused layer gives the unfused output, to float32 rounding/);
    assert.ok(await foldValue(page, "foldUlps") <= 4);
    const unfused = await readQuantity(page, "unfusedY", { attr: "data-fold" }), fusedY = await readQuantity(page, "fusedY", { attr: "data-fold" });
    for (const [key, v] of unfused) assert.ok(Math.abs(v - fusedY.get(key)) <= 1e-5 * (1 + Math.abs(v)), `paths ${key}`);
    assert.equal(await page.locator('.card-inference [data-note="fold-train"]').count(), 0);
    assert.deepEqual(problems(), []);
  } finally {
    await context.close();
  }
});

test("train mode: the map is not the output and the fused layer differs, and the page says why", { timeout: 60_000 }, async () => {
  const { context, page, problems } = await openStepper(browser, server.url, { hash: HASH });
  try {
    assert.equal(await page.locator('[data-fold="foldVerdict"]').getAttribute("data-value"), "differ");
    const gap = await foldValue(page, "foldGap");
    assert.ok(gap > 0.1, `train-mode gap ${gap}`);
    const why = await page.locator('[data-note="fold-train"]').textContent();
    assert.match(why, /normalizes z with this batch's own statistics/);
    assert.match(why, /Batch statistics depend on the batch/);
    assert.match(await page.locator('[data-note="train-not-a-map"]').textContent(), /is not a·x \+ b/);
    // The batch mean of z the note names is the mean of the z shown.
    const z = await readQuantity(page, "z", { attr: "data-fold" });
    const zMean = await readQuantity(page, "zBatchMean", { attr: "data-fold" });
    for (const [key, v] of zMean) {
      const i = key.split(":")[0];
      const mean = [1, 2, 3, 4].reduce((s, r) => s + z.get(`${i}:${r}`), 0) / 4;
      assert.ok(Math.abs(v - mean) < 1e-6, `μ_B of z, output ${i}`);
    }
    // The same a, b and fold as in eval: they come from the running statistics, not the mode.
    const trainScale = await readQuantity(page, "scale");
    await page.getByRole("button", { name: "Eval", exact: true }).click();
    assert.deepEqual(await readQuantity(page, "scale"), trainScale);
    assert.equal(await page.locator('[data-fold="foldVerdict"]').getAttribute("data-value"), "agree");
    // A batch of one: training computes nothing here either; eval folds it.
    await page.getByRole("button", { name: "Train", exact: true }).click();
    await page.getByLabel("Batch size", { exact: true }).fill("1");
    await page.getByLabel("Batch size", { exact: true }).dispatchEvent("change");
    assert.equal(await page.locator(".card-inference [data-quantity]").count(), 0);
    assert.match(await page.locator(".card-inference").textContent(), /the core refused this batch in training/);
    await page.getByRole("button", { name: "Eval", exact: true }).click();
    assert.equal((await readQuantity(page, "scale")).size, 2);
    assert.equal(await page.locator('[data-fold="foldVerdict"]').getAttribute("data-value"), "agree");
    assert.deepEqual(problems(), []);
  } finally {
    await context.close();
  }
});

test("the Linear layer's cells: typing refolds, a bad cell is marked, Random weights and the link keep the view", { timeout: 60_000 }, async () => {
  const { context, page, problems } = await openStepper(browser, server.url, { hash: `${HASH}&mode=eval` });
  try {
    const cell = page.getByRole("textbox", { name: "Linear W row 2 column 1", exact: true });
    await cell.fill("2");
    const a2 = (await readQuantity(page, "scale")).get("2:");
    assert.equal((await readFused(page)).get("2,1"), f32(a2 * 2), "W′21 = a2 · 2");
    assert.equal(await cell.evaluate((e) => e === document.activeElement), true, "the cell keeps the focus");
    assert.match(await page.evaluate(() => location.hash), /lw=0\.3,-0\.7;2,0\.45/);
    await page.getByRole("textbox", { name: "Linear bias feature 1", exact: true }).fill("abc");
    const bad = page.getByRole("textbox", { name: "Linear bias feature 1", exact: true });
    assert.equal(await bad.getAttribute("aria-invalid"), "true");
    assert.match(await page.locator(".card-inference").textContent(), /Fix the marked Linear layer cells/);
    assert.equal(await page.locator('[data-quantity="fusedWeight"]').count(), 0);
    assert.ok((await readQuantity(page, "scale")).size === 2, "the eval map is still shown");
    await bad.fill("0.1");
    await page.getByRole("button", { name: "Random weights" }).click();
    const hash = await page.evaluate(() => location.hash);
    assert.match(hash, /&ls=\d+/);
    const drawn = await readFused(page);
    const link = await openStepper(browser, server.url, { hash: hash.slice(1) });
    assert.deepEqual(await readFused(link.page), drawn, "the link reopens the same fold");
    await link.context.close();
    assert.deepEqual(problems(), []);
  } finally {
    await context.close();
  }
});

test("Download the fold as CSV: the page's a, b, W′, b′ and both paths' outputs, eval and train", { timeout: 60_000 }, async () => {
  for (const mode of ["eval", "train"]) {
    const { context, page, problems } = await openStepper(browser, server.url, { hash: `${HASH}&mode=${mode}` });
    try {
      const button = page.getByRole("button", { name: "Download the fold as CSV", exact: true });
      const [download] = await Promise.all([page.waitForEvent("download"), button.click()]);
      assert.equal(download.suggestedFilename(), `batchnorm-fold-${mode}.csv`);
      const lines = (await readFile(await download.path(), "utf8")).trim().split("\n");
      assert.equal(lines[0], "quantity,feature,input,row,value");
      const csv = new Map(lines.slice(1).map((l) => { const [q, i, j, r, v] = l.split(","); return [`${q} ${i},${j},${r}`, Number(v)]; }));
      assert.equal(csv.size, 4 * 2 + 2 * 4 + 4 * 8, "one line per number");
      for (const q of ["scale", "shift", "fusedBias"]) {
        for (const [key, v] of await readQuantity(page, q)) assert.equal(csv.get(`${q} ${key.split(":")[0]},,`), v, `${mode} ${q} ${key}`);
      }
      for (const [key, v] of await readFused(page)) assert.equal(csv.get(`fusedWeight ${key},`), v, `${mode} W′ ${key}`);
      W.forEach((row, i) => row.forEach((w, j) => assert.equal(csv.get(`W ${i + 1},${j + 1},`), f32(w))));
      for (const q of ["unfusedY", "fusedY", "z"]) {
        const shown = await readQuantity(page, q, { attr: "data-fold" });
        assert.equal(shown.size, 8, q);
        for (const [key, v] of shown) {
          const [feature, row] = key.split(":");
          assert.equal(csv.get(`${q} ${feature},,${row}`), v, `${mode} ${q} ${key}`);
        }
      }
      const ulps = [...csv].filter(([k]) => k.startsWith("ulpsApart ")).map(([, v]) => v);
      assert.equal(ulps.length, 8);
      assert.equal(Math.max(...ulps) <= 4, mode === "eval", `${mode}: fused = unfused to rounding only in eval (${Math.max(...ulps)} ulps)`);
      assert.deepEqual(problems(), []);
    } finally {
      await context.close();
    }
  }
});

test("Copy as PyTorch exports the fold with fuse_linear_bn_eval; torch gives the page's W′ and b′", { timeout: 60_000 }, async () => {
  const { context, page, problems } = await openStepper(browser, server.url, { hash: `${HASH}&mode=eval` });
  try {
    await page.getByRole("button", { name: "Copy as PyTorch" }).click();
    const snippet = await page.getByLabel("PyTorch snippet").textContent();
    assert.match(snippet, /from torch\.nn\.utils\.fusion import fuse_linear_bn_eval/);
    assert.match(snippet, /fused = fuse_linear_bn_eval\(linear, bn\)/);
    const torch = spawnSync("/usr/bin/python3", ["-c", "import torch"], { encoding: "utf8" });
    if (torch.status !== 0) {
      test.diagnostic?.("python3-torch not importable: snippet checked as text only");
      return;
    }
    const script = `${snippet}\nimport json\nprint("JSON" + json.dumps({"w": fused.weight.detach().flatten().tolist(), "b": fused.bias.detach().tolist()}))\n`;
    const run = spawnSync("/usr/bin/python3", ["-c", script], { encoding: "utf8", timeout: 40_000 });
    assert.equal(run.status, 0, run.stderr);
    const out = JSON.parse(run.stdout.split("JSON")[1]);
    const fused = await readFused(page), fusedBias = await readQuantity(page, "fusedBias");
    // torch rounds after each operation (measured ≤ 2.1 ulps on the golden cases).
    out.w.forEach((v, e) => { const ours = fused.get(`${Math.floor(e / 2) + 1},${e % 2 + 1}`); assert.ok(Math.abs(v - ours) <= 4 * ulp32(ours), `W′ ${e}: torch ${v}, page ${ours}`); });
    out.b.forEach((v, i) => { const ours = fusedBias.get(`${i + 1}:`); assert.ok(Math.abs(v - ours) <= 4 * ulp32(Math.abs(ours) + 3), `b′ ${i}: torch ${v}, page ${ours}`); });
    assert.deepEqual(problems(), []);
  } finally {
    await context.close();
  }
});

test("axe finds nothing in the inference card, eval and train, light and dark", { timeout: 60_000 }, async () => {
  for (const [colorScheme, mode] of [["light", "eval"], ["light", "train"], ["dark", "eval"]]) {
    const { context, page, problems } = await openStepper(browser, server.url, { hash: `${HASH}&mode=${mode}`, colorScheme });
    try {
      assert.deepEqual(await axeViolations(page, ".card-inference"), [], `${colorScheme} ${mode}`);
      assert.deepEqual(problems(), []);
    } finally {
      await context.close();
    }
  }
});
