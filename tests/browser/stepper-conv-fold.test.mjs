// The normalization lab's "Fold a Conv2d into this BatchNorm2d" (issue 14,
// item 2, the conv part): the numbers the page shows (running statistics,
// a, b, W′, b′, both paths) against a float64 computation from the image
// batch typed in the link and the conv's parameters the page shows; eval
// agrees to float32 rounding, train mode differs and says why; the
// controls (kernel, output channels, Random conv weights) and the link;
// Copy as PyTorch; axe finds nothing in the section, light and dark, eval and train.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { axeViolations, useBrowserAndServer } from "./browser.mjs";
import { openStepper } from "./fixtures/stepper-helpers.mjs";
import { convFoldReference } from "../reference/conv_fold_reference.mjs";

let browser, server;
useBrowserAndServer((b, s) => { browser = b; server = s; });

const SHAPE = [2, 3, 3, 3];
const cell = (n, c, h, w) => Number((Math.sin(1.3 * n + 2.1 * c + 0.7 * h - 0.9 * w) * (c + 1) + c).toFixed(2));
const X = Array.from({ length: SHAPE.reduce((a, b) => a * b) }, (_, j) =>
  cell(Math.floor(j / 27), Math.floor(j / 9) % 3, Math.floor(j / 3) % 3, j % 3));
const IMG = [0, 1].map((n) => [0, 1, 2].map((c) => [0, 1, 2].map((h) => [0, 1, 2].map((w) => cell(n, c, h, w)).join(",")).join(";")).join("|")).join("/");
const HASH = `x=1,2;3,5&norm=batch2d&shape=${SHAPE.join(",")}&img=${encodeURIComponent(IMG).replace(/%2C/g, ",").replace(/%3B/g, ";").replace(/%7C/g, "|")}`;
const f32 = Math.fround;
const ulp32 = (v) => 2 ** (Math.floor(Math.log2(Math.abs(f32(v)) || 2 ** -126)) - 23);
const SECTION = ".conv-fold";

// The section's numbers: attr="name" entries keyed by their data-out/in/kh/kw/channel/sample/h/w.
async function read(page, attr, name) {
  const entries = await page.locator(`${SECTION} [${attr}="${name}"]`).evaluateAll((els) => els.map((e) => {
    const d = e.dataset;
    return [["out", "in", "kh", "kw", "channel", "sample", "h", "w"].map((k) => d[k] ?? "").join(":"), Number(d.value)];
  }));
  return new Map(entries);
}

async function convShown(page) {
  const values = async (name) => Array.from((await read(page, "data-conv", name)).values());
  const weight = await values("weight");
  const outC = (await values("bias")).length;
  return { weight, bias: await values("bias"), gamma: await values("gamma"), beta: await values("beta"), outC, inC: SHAPE[1],
    k: Math.round(Math.sqrt(weight.length / (outC * SHAPE[1]))) };
}

test("eval: running statistics, a, b, W′, b′ and both paths match float64; the fused conv agrees to float32 rounding", { timeout: 90_000 }, async () => {
  const { context, page, problems } = await openStepper(browser, server.url, { hash: `${HASH}&mode=eval` });
  try {
    await page.locator(SECTION).getByText("Fold a Conv2d into this BatchNorm2d").waitFor();
    const conv = await convShown(page);
    assert.deepEqual([conv.outC, conv.k], [2, 3], "default conv: 2 output channels, 3×3");
    const ref = convFoldReference(X, SHAPE, conv, "eval");
    const near = (got, want, ulps, what) => assert.ok(Math.abs(got - want) <= ulps * ulp32(want) + 1e-7, `${what}: page ${got}, float64 ${want}`);
    const rm = await read(page, "data-quantity", "runningMean"), rv = await read(page, "data-quantity", "runningVar");
    const a = await read(page, "data-quantity", "scale"), b = await read(page, "data-quantity", "shift");
    const bp = await read(page, "data-quantity", "fusedBias"), wp = await read(page, "data-quantity", "fusedWeight");
    for (let o = 0; o < 2; o++) {
      const key = `::::${o + 1}:::`;
      near(rm.get(key), ref.rm[o], 16, `μ_run ${o + 1}`);
      near(rv.get(key), ref.rv[o], 16, `σ²_run ${o + 1}`);
      near(a.get(key), ref.a[o], 16, `a ${o + 1}`);
      near(b.get(key), ref.b[o], 16, `b ${o + 1}`);
      near(bp.get(key), ref.bp[o], 16, `b′ ${o + 1}`);
    }
    assert.equal(wp.size, 2 * 3 * 9);
    for (const [key, v] of wp) {
      const [o, c, u, w] = key.split(":").slice(0, 4).map(Number);
      near(v, ref.Wp[(((o - 1) * 3 + c - 1) * 3 + u - 1) * 3 + w - 1], 16, `W′ ${key}`);
    }
    const unfused = await read(page, "data-fold", "convUnfusedY"), fused = await read(page, "data-fold", "convFusedY");
    assert.equal(unfused.size, 2 * 2 * 9);
    let e = 0;
    for (const [key, v] of unfused) {
      near(v, ref.unfused[e], 64, `BN(z) ${key}`);
      near(fused.get(key), ref.unfused[e], 64, `fused ${key}`);
      e++;
    }
    assert.equal(await page.locator(`${SECTION} [data-fold="convFoldVerdict"]`).getAttribute("data-value"), "agree");
    const ulps = Number(await page.locator(`${SECTION} [data-fold="convFoldUlps"]`).getAttribute("data-value"));
    assert.ok(ulps <= 4, `${ulps} ulps`);
    await page.locator(SECTION).getByText("The fused conv gives the unfused output, to float32 rounding.").waitFor();
    assert.deepEqual(await axeViolations(page, SECTION), []);
    assert.deepEqual(problems(), []);
  } finally {
    await context.close();
  }
});

test("train mode: the paths differ, the page says why (batch statistics ≠ running statistics); light and dark are axe clean", { timeout: 90_000 }, async () => {
  for (const colorScheme of ["light", "dark"]) {
    const { context, page, problems } = await openStepper(browser, server.url, { hash: `${HASH}&mode=eval`, colorScheme });
    try {
      const section = page.locator(SECTION);
      await section.getByRole("button", { name: "Show in train mode" }).click();
      await section.locator('[data-note="conv-fold-train"]').waitFor();
      assert.equal(await page.getByRole("button", { name: "Train", exact: true }).getAttribute("aria-pressed"), "true");
      assert.match(page.url(), /mode=train/);
      assert.equal(await section.locator('[data-fold="convFoldVerdict"]').getAttribute("data-value"), "differ");
      const gap = Number(await section.locator('[data-fold="convFoldGap"]').getAttribute("data-value"));
      const conv = await convShown(page);
      const refT = convFoldReference(X, SHAPE, conv, "train"), refE = convFoldReference(X, SHAPE, conv, "eval");
      const want = refT.unfused.reduce((m, v, e) => Math.max(m, Math.abs(v - refE.unfused[e])), 0);
      assert.ok(Math.abs(gap - want) <= 1e-4 * (1 + want), `gap ${gap} vs float64 ${want}`);
      assert.ok(gap > 0.05, `train gap ${gap}`);
      const bm = await read(page, "data-fold", "convBatchMean");
      const [[key, mean]] = bm;
      const o = Number(key.split(":")[4]) - 1;
      assert.ok(Math.abs(mean - refT.mean[o]) <= 1e-5 * (1 + Math.abs(refT.mean[o])), "the batch mean shown is z's");
      assert.deepEqual(await axeViolations(page, SECTION), [], `${colorScheme}, train`);
      await section.getByRole("button", { name: "Show in eval mode" }).click();
      await section.getByText("The fused conv gives the unfused output, to float32 rounding.").waitFor();
      assert.deepEqual(await axeViolations(page, SECTION), [], `${colorScheme}, eval`);
      assert.deepEqual(problems(), []);
    } finally {
      await context.close();
    }
  }
});

test("kernel, output channels and Random conv weights change the fold and the link; a bad channel count is refused; Copy as PyTorch uses fuse_conv_bn_eval", { timeout: 90_000 }, async () => {
  const { context, page, problems } = await openStepper(browser, server.url, { hash: `${HASH}&mode=eval` });
  try {
    const section = page.locator(SECTION);
    await section.getByLabel("Conv kernel").selectOption("1");
    await page.waitForFunction(() => location.hash.includes("ck=1"));
    assert.equal(await section.locator('[data-quantity="fusedWeight"]').count(), 2 * 3);
    await section.getByLabel("Conv output channels").fill("3");
    await section.getByLabel("Conv output channels").dispatchEvent("change");
    await page.waitForFunction(() => location.hash.includes("cout=3"));
    assert.equal(await section.locator('[data-quantity="fusedWeight"]').count(), 3 * 3);
    assert.equal(await section.locator('[data-fold="convFoldVerdict"]').getAttribute("data-value"), "agree");
    await section.getByLabel("Conv output channels").fill("7");
    await section.getByLabel("Conv output channels").dispatchEvent("change");
    assert.equal(await section.getByLabel("Conv output channels").getAttribute("aria-invalid"), "true");
    await section.getByText("Conv output channels: Must be a whole number from 1 to 4.").waitFor();
    assert.equal(await section.locator('[data-quantity="fusedWeight"]').count(), 9, "nothing changed");
    const before = (await convShown(page)).weight;
    await section.getByRole("button", { name: "Random conv weights" }).click();
    await page.waitForFunction(() => /cs=\d+/.test(location.hash));
    assert.notDeepEqual((await convShown(page)).weight, before);
    // the link reopens the same fold
    const hash = new URL(page.url()).hash.slice(1);
    const shown = await read(page, "data-quantity", "fusedWeight");
    const again = await openStepper(browser, server.url, { hash });
    try {
      assert.deepEqual(await read(again.page, "data-quantity", "fusedWeight"), shown);
    } finally {
      await again.context.close();
    }
    await page.getByRole("button", { name: "Copy as PyTorch" }).click();
    const snippet = await page.getByLabel("PyTorch snippet").textContent();
    assert.match(snippet, /fuse_conv_bn_eval\(conv, bn2\)/);
    assert.match(snippet, /torch\.nn\.Conv2d\(3, 3, 1, padding=0\)/);
    assert.deepEqual(problems(), []);
  } finally {
    await context.close();
  }
});

test("Download the conv fold as CSV holds the numbers the section shows, in its mode", { timeout: 60_000 }, async () => {
  const { context, page, problems } = await openStepper(browser, server.url, { hash: `${HASH}&mode=train` });
  try {
    const section = page.locator(SECTION);
    const [download] = await Promise.all([page.waitForEvent("download"), section.getByRole("button", { name: "Download the conv fold as CSV" }).click()]);
    assert.equal(download.suggestedFilename(), "batchnorm-conv-fold-train.csv");
    const lines = (await readFile(await download.path(), "utf8")).trim().split("\n");
    assert.equal(lines[0], "quantity,out,in,kh,kw,sample,h,w,value");
    const csv = new Map(lines.slice(1).map((l) => { const cells = l.split(","); return [cells.slice(0, 8).join(","), Number(cells[8])]; }));
    assert.equal(csv.size, lines.length - 1, "each number once");
    for (const [key, v] of await read(page, "data-quantity", "fusedWeight")) assert.equal(csv.get(`fusedWeight,${key.split(":").slice(0, 4).join(",")},,,`), v, `W′ ${key}`);
    for (const [key, v] of await read(page, "data-quantity", "fusedBias")) assert.equal(csv.get(`fusedBias,${key.split(":")[4]},,,,,,`), v, `b′ ${key}`);
    for (const [key, v] of await read(page, "data-fold", "convUnfusedY")) {
      const [, , , , c, n, hh, ww] = key.split(":");
      assert.equal(csv.get(`unfusedY,${c},,,,${n},${hh},${ww}`), v, `train-mode BN(z) ${key}`);
    }
    assert.deepEqual(problems(), []);
  } finally {
    await context.close();
  }
});
