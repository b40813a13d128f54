// The normalization lab's numbers (docs/page-hooks.md, "The normalization
// lab"): for every layer of the lab (BatchNorm1d on this batch is the
// stepper above; GroupNorm with G = 1, between and G = C), every
// statistic's shown μ, σ², σ, 1/σ and every cell's x − μ, x̂, y, dy, dx and
// the shown dγ, dβ match a float64 computation from the float32 x the core
// stores (written out here, independent of the page's own float64 code);
// the gradient check agrees; "Does my sample depend on the others?" says
// yes for BatchNorm and no for LayerNorm, GroupNorm and InstanceNorm with
// the right largest change; and a batch of one gets the core's PyTorch
// message; axe finds nothing in those views. Needs the layers' JS API (bn.BatchNorm2d, bn.LayerNorm,
// bn.GroupNorm, bn.InstanceNorm2d): a build without them fails here.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ENGINE, axeViolations, useBrowserAndServer } from "./browser.mjs";
import { openStepper } from "./fixtures/stepper-helpers.mjs";

let browser, server;
useBrowserAndServer((b, s) => { browser = b; server = s; });

const CASES = [
  { norm: "batch2d", label: "BatchNorm2d", groups: 1 },
  { norm: "layer", label: "LayerNorm", groups: 1 }, { norm: "group", label: "GroupNorm", groups: 1 },
  { norm: "group", label: "GroupNorm", groups: 2 }, { norm: "group", label: "GroupNorm", groups: 4 },
  { norm: "instance", label: "InstanceNorm", groups: 1 },
];
const SHAPE = [2, 4, 2, 3];
const EPS = 1e-5;
const close = (a, b) => Math.abs(a - b) <= 2e-5 * Math.abs(b) + 2e-6;

// float64 forward and backward by the definitions: key(n, c, h, w) of a statistic.
function reference(x, dy, [N, C, H, W], keyOf, paramOf) {
  const groups = new Map();
  const at = (n, c, h, w) => ((n * C + c) * H + h) * W + w;
  for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) {
    const k = keyOf(n, c, h, w);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(at(n, c, h, w));
  }
  const out = { stats: new Map(), xhat: [], dx: [], dgamma: new Map(), dbeta: new Map() };
  for (const [k, js] of groups) {
    const m = js.length, mean = js.reduce((s, j) => s + x[j], 0) / m;
    const v = js.reduce((s, j) => s + (x[j] - mean) ** 2, 0) / m, sigma = Math.sqrt(v + EPS);
    for (const j of js) out.xhat[j] = (x[j] - mean) / sigma;
    const sum = js.reduce((s, j) => s + dy[j], 0), dot = js.reduce((s, j) => s + dy[j] * out.xhat[j], 0);
    for (const j of js) out.dx[j] = (dy[j] - sum / m - out.xhat[j] * dot / m) / sigma;
    out.stats.set(k, { mean, var: v, std: sigma, invStd: 1 / sigma });
  }
  x.forEach((_, j) => {
    const p = paramOf(j);
    out.dgamma.set(p, (out.dgamma.get(p) ?? 0) + dy[j] * out.xhat[j]);
    out.dbeta.set(p, (out.dbeta.get(p) ?? 0) + dy[j]);
  });
  return out;
}

function keys({ norm, groups }, [, C, H, W]) {
  const keyOf = norm.startsWith("batch") ? (n, c) => `c${c + 1}` : norm === "layer" ? (n) => `n${n + 1}`
    : norm === "group" ? (n, c) => `n${n + 1}g${Math.floor(c / (C / groups)) + 1}` : (n, c) => `n${n + 1}c${c + 1}`;
  const paramOf = norm === "layer" ? (j) => `p${j % (C * H * W)}` : (j) => `c${Math.floor(j / (H * W)) % C + 1}`;
  return { keyOf, paramOf };
}

// The key of a shown statistic from its data attributes, as keyOf writes it.
const statKey = (d) => (d.group ? `n${d.sample}g${d.group}` : d.sample && d.channel ? `n${d.sample}c${d.channel}` : d.sample ? `n${d.sample}` : `c${d.channel}`);

async function layersMissing(page) {
  return (await page.locator('.card-lab [data-note="layers-missing"]').count()) > 0;
}

test("every layer's shown forward and backward values match float64; the gradient check agrees", { timeout: 240_000 }, async (t) => {
  for (const c of CASES) {
    const { context, page, problems } = await openStepper(browser, server.url,
      { hash: `x=1,2;3,5&norm=${c.norm}&groups=${c.groups}&shape=${SHAPE.join(",")}` });
    try {
      assert.equal(await layersMissing(page), false, "the page's build has the lab's layers (bn.BatchNorm2d, LayerNorm, GroupNorm, InstanceNorm2d)");
      const where = `${c.label} G=${c.groups}`;
      const x = await page.locator("input.image-cell").evaluateAll((els) => els.map((e) => Math.fround(Number(e.value))));
      // dy as the page documents it: −0.5, 0.25, 0.5, −0.25, … (the gradient of L = Σ dy·y)
      const dy = x.map((_, j) => ((j % 3) - 1) * 0.5 + (j % 2) * 0.25);
      const ref = { dy, ...reference(x, dy, SHAPE, ...Object.values(keys(c, SHAPE))) };
      const { keyOf } = keys(c, SHAPE);
      const options = await page.getByLabel("Statistic", { exact: true }).locator("option").count();
      for (let s = 1; s <= options; s++) {
        await page.getByLabel("Statistic", { exact: true }).selectOption(String(s));
        const shown = await page.locator(".card-lab .lab-steps [data-quantity]").evaluateAll((els) => els.map((e) => ({ ...e.dataset })));
        for (const d of shown) {
          const v = Number(d.value);
          const j = d.h ? ((Number(d.sample) - 1) * SHAPE[1] + Number(d.channel) - 1) * SHAPE[2] * SHAPE[3] + (Number(d.h) - 1) * SHAPE[3] + Number(d.w) - 1 : null;
          const want = ["mean", "var", "std", "invStd"].includes(d.quantity) ? ref.stats.get(statKey(d))[d.quantity]
            : d.quantity === "xhat" || d.quantity === "y" ? ref.xhat[j] : d.quantity === "xCentered" ? x[j] - ref.stats.get(keyOf(...coords(j)))?.mean
              : d.quantity === "dx" ? ref.dx[j] : d.quantity === "dy" ? ref.dy[j]
                : d.quantity === "dgamma" || d.quantity === "dbeta" ? ref[d.quantity].get(c.norm === "layer" ? `p${((Number(d.channel) - 1) * SHAPE[2] + Number(d.h) - 1) * SHAPE[3] + Number(d.w) - 1}` : `c${d.channel}`)
                  : undefined;
          assert.notEqual(want, undefined, `${where}: ${d.quantity} has a reference`);
          assert.ok(close(v, want), `${where}, statistic ${s}: ${d.quantity} ${JSON.stringify(d)} shown ${v}, float64 ${want}`);
        }
        assert.ok(shown.some((d) => d.quantity === "mean") && shown.some((d) => d.quantity === "dx"), `${where}: statistic ${s} shows μ and dx`);
      }
      await page.getByRole("button", { name: "Check gradient", exact: true }).click();
      assert.equal(await page.locator('.card-lab [data-check="verdict"]').getAttribute("data-value"), "agree", where);
      assert.ok(Number(await page.locator('.card-lab [data-check="relError"]').getAttribute("data-value")) < 1e-2);
      assert.deepEqual(problems(), []);
    } finally {
      await context.close();
    }
  }
});

const coords = (j) => {
  const [, C, H, W] = SHAPE;
  return [Math.floor(j / (C * H * W)), Math.floor(j / (H * W)) % C, Math.floor(j / W) % H, j % W];
};

test("Does my sample depend on the others? BatchNorm yes, LayerNorm, GroupNorm, InstanceNorm no, with the numbers", { timeout: 60_000 }, async (t) => {
  const { context, page, problems } = await openStepper(browser, server.url, { hash: `x=1,2;3,5&norm=group&groups=2&shape=${SHAPE.join(",")}&probe=2` });
  try {
    assert.equal(await layersMissing(page), false, "the page's build has the lab's layers (bn.BatchNorm2d, LayerNorm, GroupNorm, InstanceNorm2d)");
    const rows = await page.locator("[data-dependence]").evaluateAll((els) => els.map((e) => [e.dataset.dependence, e.dataset.changed,
      Number(e.querySelector("[data-dependence-change]")?.dataset.value)]));
    assert.deepEqual(rows.map(([n, changed]) => [n, changed]),
      [["batch1d", "true"], ["batch2d", "true"], ["layer", "false"], ["group", "false"], ["instance", "false"]]);
    // The control: BatchNorm2d's change, by hand in float64, with sample 1's x → 2x + 3.
    const x = await page.locator("input.image-cell").evaluateAll((els) => els.map((e) => Math.fround(Number(e.value))));
    const per = SHAPE[1] * SHAPE[2] * SHAPE[3];
    const moved = x.map((v, j) => (j < per ? Math.fround(2 * v + 3) : v));
    const { keyOf, paramOf } = keys({ norm: "batch2d" }, SHAPE);
    const a = reference(x, x.map(() => 0), SHAPE, keyOf, paramOf), b = reference(moved, x.map(() => 0), SHAPE, keyOf, paramOf);
    let most = 0;
    for (let j = per; j < 2 * per; j++) most = Math.max(most, Math.abs(a.xhat[j] - b.xhat[j]));
    assert.ok(close(rows[1][2], most), `BatchNorm2d max |Δy| ${rows[1][2]}, float64 ${most}`);
    for (const [, , change] of rows.slice(2)) assert.equal(change, 0, "not even the last digit");
    assert.deepEqual(problems(), []);
  } finally {
    await context.close();
  }
});

test("a batch of one: the core refuses with PyTorch's words where PyTorch does, and computes BatchNorm2d at N = 1, H·W > 1", { timeout: 60_000 }, async (t) => {
  const { context, page, problems } = await openStepper(browser, server.url, { hash: "x=1,2;3,5&norm=batch2d&shape=1,3,1,1" });
  try {
    assert.equal(await layersMissing(page), false, "the page's build has the lab's layers (bn.BatchNorm2d, LayerNorm, GroupNorm, InstanceNorm2d)");
    assert.match(await page.locator('[data-core-message="batch-one"]').textContent(), /^Expected more than 1 value per channel when training/);
    assert.equal(await page.locator('.card-lab .lab-steps [data-quantity]').count(), 0);
    await page.getByLabel("Width", { exact: true }).fill("2");
    await page.getByLabel("Width", { exact: true }).dispatchEvent("change");
    assert.ok(await page.locator('.card-lab .lab-steps [data-quantity="mean"]').count() > 0, "N = 1, H·W = 2: computed");
    await page.getByLabel("Normalization", { exact: true }).selectOption({ label: "InstanceNorm" });
    await page.getByLabel("Width", { exact: true }).fill("1");
    await page.getByLabel("Width", { exact: true }).dispatchEvent("change");
    assert.match(await page.locator('[data-core-message="spatial-one"]').textContent(), /^Expected more than 1 spatial element when training/);
    assert.deepEqual(problems(), []);
  } finally {
    await context.close();
  }
});

test("axe finds nothing serious in the lab's numbers, the gradient check and the batch-independence view", { timeout: 60_000 }, async (t) => {
  for (const colorScheme of ENGINE === "firefox" ? ["light"] : ["light", "dark"]) {   // the Firefox driver has no dark scheme
    const { context, page, problems } = await openStepper(browser, server.url, { colorScheme, hash: "x=1,2;3,5&norm=layer&shape=2,4,2,2" });
    try {
      assert.equal(await layersMissing(page), false, "the page's build has the lab's layers (bn.BatchNorm2d, LayerNorm, GroupNorm, InstanceNorm2d)");
      await page.getByRole("button", { name: "Check gradient", exact: true }).last().click();
      await page.locator('.card-lab [data-check="verdict"]').waitFor();
      const bad = (await axeViolations(page)).filter((v) => v.impact === "serious" || v.impact === "critical");
      assert.deepEqual(bad, [], `${colorScheme}: ${JSON.stringify(bad)}`);
      assert.deepEqual(problems(), []);
    } finally {
      await context.close();
    }
  }
});
