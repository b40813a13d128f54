// The normalization lab as a person meets it (docs/page-hooks.md, "The
// normalization lab"): the Normalization choice opens it, the N×C×H×W image
// is N×C grids of named, editable cells, the shape controls and patterns
// work and are part of the link, choosing a statistic highlights exactly the
// cells it reduces over (checked against the definitions, loops written out
// here), "One tensor, five normalizations" gives each layer's statistics'
// shape, the small cases carry PyTorch's messages, <bn-stepper norm=…
// groups=… shape=…> opens it, and axe finds nothing in it (light and dark).
// The numbers (every layer's forward and backward against float64, the
// batch-independence view, the gradient check) are in
// stepper-lab-numbers.test.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { axeViolations, openPage, useBrowserAndServer } from "./browser.mjs";
import { openStepper } from "./fixtures/stepper-helpers.mjs";

const ROOT = new URL("../../", import.meta.url).pathname;
let browser, server, pageUrl;
useBrowserAndServer((b, s) => { browser = b; server = s; pageUrl = `${s.url}web/index.html`; }, ROOT);

const imageCell = (scope, n, c, h, w) => scope.getByRole("textbox", { name: `x sample ${n} channel ${c} row ${h} col ${w}`, exact: true });
const setNumber = async (scope, label, value) => {
  await scope.getByLabel(label, { exact: true }).fill(String(value));
  await scope.getByLabel(label, { exact: true }).dispatchEvent("change");
};
// The highlighted cells as "n,c,h,w" (from 1), read from their names.
const highlighted = (scope) => scope.locator("input.image-cell.in-stat").evaluateAll((els) =>
  els.map((e) => e.getAttribute("aria-label").match(/\d+/g).join(",")).sort());

// Which cells statistic `stat` (from 1) of `norm` reduces over, by definition.
function expectedCells(norm, [N, C, H, W], G, stat) {
  const out = [];
  for (let n = 1; n <= N; n++) for (let c = 1; c <= C; c++) for (let h = 1; h <= H; h++) for (let w = 1; w <= W; w++) {
    const s = norm === "BatchNorm2d" || norm === "BatchNorm1d" ? c : norm === "LayerNorm" ? n
      : norm === "GroupNorm" ? (n - 1) * G + Math.ceil(c / (C / G)) : (n - 1) * C + c;
    if (s === stat) out.push(`${n},${c},${h},${w}`);
  }
  return out.sort();
}

test("Normalization opens the lab: named cells, shape controls, patterns, all in the link", { timeout: 60_000 }, async () => {
  const { context, page, problems } = await openStepper(browser, pageUrl);
  try {
    const lab = page.locator(".card-lab");
    assert.equal(await lab.isHidden(), true, "BatchNorm1d (the default) is the batch stepper: no lab");
    const choices = await page.getByLabel("Normalization", { exact: true }).locator("option").allTextContents();
    assert.deepEqual(choices, ["BatchNorm1d", "BatchNorm2d", "LayerNorm", "GroupNorm", "InstanceNorm"]);
    await page.getByLabel("Normalization", { exact: true }).selectOption({ label: "GroupNorm" });
    await lab.waitFor();
    await page.waitForFunction(() => location.hash.includes("norm=group"));
    assert.equal(await page.locator("input.image-cell").count(), 2 * 4 * 3 * 3, "the default 2×4×3×3 batch");
    assert.equal(await lab.locator("table.image-grid").count(), 8, "N×C grids");
    for (const [label, value] of [["Samples", 3], ["Channels", 2], ["Height", 2], ["Width", 4]]) await setNumber(page, label, value);
    assert.equal(await page.locator("input.image-cell").count(), 3 * 2 * 2 * 4);
    await page.waitForFunction(() => location.hash.includes("shape=3,2,2,4"));
    await imageCell(page, 3, 2, 2, 4).fill("7.5");
    await imageCell(page, 1, 1, 1, 1).fill("abc");
    assert.equal(await imageCell(page, 1, 1, 1, 1).getAttribute("aria-invalid"), "true");
    const describedBy = await imageCell(page, 1, 1, 1, 1).getAttribute("aria-describedby");
    assert.match(await page.locator(`[id="${describedBy}"]`).textContent(), /not a number/);
    await setNumber(page, "Width", 0);
    assert.equal(await page.getByLabel("Width", { exact: true }).getAttribute("aria-invalid"), "true");
    assert.match(await lab.textContent(), /Width: Must be a whole number from 1 to 4\./);
    assert.equal(await page.locator("input.image-cell").count(), 3 * 2 * 2 * 4, "a bad width changes nothing");

    const second = await openStepper(browser, await page.evaluate(() => location.href));
    try {
      assert.equal(await second.page.getByLabel("Normalization", { exact: true }).inputValue(), "group");
      assert.equal(await imageCell(second.page, 3, 2, 2, 4).inputValue(), "7.5", "a typed cell survives the link");
      assert.equal(await imageCell(second.page, 1, 1, 1, 1).inputValue(), "abc");
      assert.equal(await second.page.getByLabel("Samples", { exact: true }).inputValue(), "3");
      assert.deepEqual(second.problems(), []);
    } finally {
      await second.context.close();
    }
    await page.getByRole("button", { name: "Checkerboard", exact: true }).click();
    assert.equal(await imageCell(page, 1, 1, 1, 1).inputValue(), "0");
    assert.equal(await imageCell(page, 1, 1, 1, 2).inputValue(), "1");
    assert.equal(await imageCell(page, 2, 2, 1, 2).inputValue(), "3", "checkerboard × (channel + 1) + sample − 1");
    await page.getByRole("button", { name: "Random image batch", exact: true }).click();
    const drawn = await page.locator("input.image-cell").evaluateAll((els) => els.map((e) => Number(e.value)));
    assert.equal(drawn.length, 48);
    assert.ok(drawn.filter((v) => !Number.isInteger(v)).length > 40, "a random batch, not the pattern");
    await page.waitForFunction(() => location.hash.includes("iseed="));
    await page.getByLabel("Normalization", { exact: true }).selectOption({ label: "BatchNorm1d" });
    assert.equal(await lab.isHidden(), true);
    assert.deepEqual(problems(), []);
  } finally {
    await context.close();
  }
});

test("choosing a statistic highlights exactly the cells it reduces over, for every layer and G = 1, G = C, between", { timeout: 90_000 }, async () => {
  const shape = [2, 4, 2, 2];
  const { context, page, problems } = await openStepper(browser, pageUrl, { hash: `x=1,2;3,5&norm=batch2d&shape=${shape.join(",")}` });
  try {
    const cases = [["BatchNorm2d", 1], ["LayerNorm", 1], ["GroupNorm", 1], ["GroupNorm", 2], ["GroupNorm", 4], ["InstanceNorm", 1]];
    for (const [norm, G] of cases) {
      await page.getByLabel("Normalization", { exact: true }).selectOption({ label: norm });
      if (norm === "GroupNorm") await setNumber(page, "Groups", G);
      const stat = page.getByLabel("Statistic", { exact: true });
      const options = await stat.locator("option").allTextContents();
      const count = norm === "BatchNorm2d" ? 4 : norm === "LayerNorm" ? 2 : norm === "GroupNorm" ? 2 * G : 8;
      assert.equal(options.length, count, `${norm} G=${G}: one choice per statistic`);
      for (let s = 1; s <= count; s++) {
        await stat.selectOption(String(s));
        assert.deepEqual(await highlighted(page), expectedCells(norm, shape, G, s), `${norm} G=${G}, ${options[s - 1]}`);
      }
      assert.match(await page.locator(".card-lab .stat-info").textContent(), new RegExp(options[count - 1]));
    }
    await page.waitForFunction(() => location.hash.includes("stat=8"));
    assert.deepEqual(problems(), []);
  } finally {
    await context.close();
  }
});

test("One tensor, five normalizations: each layer's statistics and their shapes", { timeout: 30_000 }, async () => {
  const { context, page, problems } = await openStepper(browser, pageUrl, { hash: "x=1,2;3,5&norm=layer&groups=2&shape=2,4,3,3" });
  try {
    const shapes = await page.locator(".five-norms [data-shape-of]").evaluateAll((els) => els.map((e) => [e.dataset.shapeOf, e.textContent]));
    assert.deepEqual(shapes, [["batch1d", "[C] = [4]"], ["batch2d", "[C] = [4]"], ["layer", "[N] = [2]"], ["group", "[N, G] = [2, 2]"], ["instance", "[N, C] = [2, 4]"]]);
    const inst = await page.locator('.one-norm[data-norm="instance"] td').evaluateAll((tds) => tds.map((t) => Number(t.dataset.stat)));
    assert.equal(inst.length, 72);
    assert.deepEqual([...new Set(inst)], [1, 2, 3, 4, 5, 6, 7, 8], "InstanceNorm: N·C = 8 statistics of 9 cells");
    const group = await page.locator('.one-norm[data-norm="group"] td').evaluateAll((tds) => tds.map((t) => Number(t.dataset.stat)));
    assert.deepEqual(group.slice(0, 18), Array(18).fill(1), "channels 1–2 of sample 1: group 1");
    assert.deepEqual(group.slice(36, 54), Array(18).fill(3), "channels 1–2 of sample 2: statistic 3");
    await setNumber(page, "Groups", 3);
    assert.match(await page.locator('.one-norm[data-norm="group"]').textContent(), /num_channels must be divisible by num_groups/);
    assert.deepEqual(problems(), []);
  } finally {
    await context.close();
  }
});

test("the small cases in place, with PyTorch's messages", { timeout: 30_000 }, async () => {
  const { context, page, problems } = await openStepper(browser, pageUrl, { hash: "x=1,2;3,5&norm=batch2d&shape=1,3,1,1" });
  try {
    const lab = page.locator(".card-lab");
    assert.match(await lab.locator('[data-note="batch-one"] [data-message]').textContent(), /^Expected more than 1 value per channel when training$/);
    await setNumber(page, "Height", 2);
    assert.equal(await lab.locator('[data-note="batch-one"]').count(), 0, "N = 1 with H·W > 1 is allowed");
    assert.match(await lab.locator('[data-note="batch-one-allowed"]').textContent(), /behaves like InstanceNorm/);
    await setNumber(page, "Height", 1);
    await page.getByLabel("Normalization", { exact: true }).selectOption({ label: "InstanceNorm" });
    assert.match(await lab.locator('[data-note="spatial-one"] [data-message]').textContent(), /^Expected more than 1 spatial element when training$/);
    await page.getByLabel("Normalization", { exact: true }).selectOption({ label: "GroupNorm" });
    await setNumber(page, "Groups", 2);
    assert.match(await lab.locator('[data-note="groups"] [data-message]').textContent(), /^num_channels must be divisible by num_groups$/);
    assert.match(await lab.locator('[data-note="groups"]').textContent(), /Groups = 1, 3/);
    await setNumber(page, "Groups", 3);
    assert.equal(await lab.locator('[data-note="groups"]').count(), 0);
    assert.equal(await lab.locator('[data-note="group-is-instance"]').count(), 1, "G = C");
    await page.getByLabel("Normalization", { exact: true }).selectOption({ label: "LayerNorm" });
    assert.equal(await lab.locator(".problem-note").count(), 0, "LayerNorm never refuses");
    assert.deepEqual(problems(), []);
  } finally {
    await context.close();
  }
});

test("<bn-stepper norm=\"group\" groups=\"2\" shape=\"2,4,3,3\"> opens the lab", { timeout: 30_000 }, async () => {
  const { context, page, problems } = await openPage(browser, `${server.url}tests/browser/fixtures/lab-widget.html`);
  try {
    const lab = page.locator("#lab .card-lab");
    await lab.waitFor({ timeout: 20_000 });
    assert.equal(await lab.locator("input.image-cell").count(), 72);
    assert.equal(await page.getByLabel("Groups", { exact: true }).inputValue(), "2");
    assert.equal(await page.getByLabel("Statistic", { exact: true }).locator("option").count(), 4, "[N, G] = [2, 2]");
    await page.evaluate(() => document.getElementById("lab").setAttribute("norm", "instance"));
    await page.getByLabel("Statistic", { exact: true }).locator("option").nth(7).waitFor({ state: "attached" });
    assert.equal(page.url().includes("#"), false, "widgets leave the URL alone");
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("axe finds nothing serious in the lab, light and dark", { timeout: 60_000 }, async () => {
  for (const colorScheme of ["light", "dark"]) {
    const { context, page, problems } = await openStepper(browser, pageUrl, { colorScheme, hash: "x=1,2;3,5&norm=group&groups=2&shape=2,4,2,2&img=1,abc" });
    try {
      await page.locator(".card-lab").waitFor();
      const bad = (await axeViolations(page)).filter((v) => v.impact === "serious" || v.impact === "critical");
      assert.deepEqual(bad, [], `${colorScheme}: ${JSON.stringify(bad)}`);
      assert.deepEqual(problems(), []);
    } finally {
      await context.close();
    }
  }
});
