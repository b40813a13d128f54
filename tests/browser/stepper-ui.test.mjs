// The stepper page for every person and every use: bad input marked and
// explained, a batch of one, the URL round trip, paste, the PyTorch snippet
// (run in torch when python3-torch is installed), CSV export, keyboard-only
// stepping, axe (no serious or critical violations, light and dark), the
// 360 px phone layout and the theme toggle.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { spawnSync } from "node:child_process";
import { axeViolations, useBrowserAndServer } from "./browser.mjs";
import { openStepper, readQuantity, typeBatch, clickTimes, forwardRef, assertAllClose, hashFor } from "./fixtures/stepper-helpers.mjs";

let browser, server;
useBrowserAndServer((b, s) => { browser = b; server = s; });

const cell = (page, i, k) => page.getByRole("textbox", { name: `x row ${i} feature ${k}`, exact: true });

test("a bad cell is marked and explained, computes nothing, and keeps the other input", { timeout: 30_000 }, async () => {
  const { context, page, problems } = await openStepper(browser, server.url);
  try {
    await clickTimes(page, "Next step", 2);
    assert.ok(await page.locator('.panel [data-quantity="xCentered"]').count() > 0);
    await cell(page, 2, 1).fill("abc");
    await cell(page, 3, 2).fill("Infinity");
    assert.equal(await cell(page, 2, 1).getAttribute("aria-invalid"), "true");
    assert.equal(await cell(page, 3, 2).getAttribute("aria-invalid"), "true");
    const describedBy = await cell(page, 2, 1).getAttribute("aria-describedby");
    assert.match(await page.locator(`[id="${describedBy}"]`).textContent(), /not a number/);
    assert.match(await page.locator(".panel").textContent(), /x row 3 feature 2: Infinity/);
    assert.equal(await page.locator("[data-quantity]").count(), 0, "no quantity is shown while a cell is bad");
    assert.equal(await cell(page, 2, 1).inputValue(), "abc", "what the user typed stays");
    assert.equal(await cell(page, 1, 2).inputValue(), "2", "the other cells keep their values");
    await cell(page, 3, 2).fill("");
    assert.match(await page.locator(".panel").textContent(), /Empty/);
    await cell(page, 2, 1).fill("3");
    await cell(page, 3, 2).fill("0");
    assert.equal(await cell(page, 2, 1).getAttribute("aria-invalid"), null);
    assert.ok(await page.locator('.panel [data-quantity="xCentered"]').count() > 0, "numbers are back once fixed");
    // Very large values are computed, with a note on float32 precision; beyond float32 is a bad cell.
    await cell(page, 1, 1).fill("123456789");
    assert.match(await page.locator(".notes").textContent(), /Very large values/);
    await cell(page, 1, 1).fill("1e39");
    assert.match(await page.locator(".panel").textContent(), /beyond float32/);
    await cell(page, 1, 1).fill("1");
    // A batch size out of range is refused with a message; the grid stays.
    const batchSize = page.getByLabel("Batch size", { exact: true });
    await batchSize.fill("17");
    await batchSize.dispatchEvent("change");
    assert.equal(await batchSize.getAttribute("aria-invalid"), "true");
    assert.match(await page.locator(".card-input").textContent(), /Batch size must be 1–16/);
    assert.equal(await page.locator('input[aria-label^="x row"]').count(), 8);
    await batchSize.fill("4");
    await batchSize.dispatchEvent("change");
    assert.equal(await batchSize.getAttribute("aria-invalid"), null);
    // eps must be positive
    await page.getByRole("textbox", { name: "eps", exact: true }).fill("0");
    assert.equal(await page.getByRole("textbox", { name: "eps", exact: true }).getAttribute("aria-invalid"), "true");
    assert.equal(await page.locator("[data-quantity]").count(), 0);
    assert.deepEqual(problems(), []);
  } finally {
    await context.close();
  }
});

test("a batch of one: training refuses it with the core's error, eval computes it", { timeout: 30_000 }, async () => {
  const { context, page, problems } = await openStepper(browser, server.url);
  try {
    await typeBatch(page, [[3, 4]]);
    await clickTimes(page, "Next step", 1);
    const text = await page.locator(".panel").textContent();
    assert.match(text, /Expected more than 1 value per channel when training/);
    assert.match(text, /σ²_B = 0/);
    assert.equal(await page.locator("[data-quantity]").count(), 0);
    await page.getByRole("button", { name: "Eval", exact: true }).click();
    await clickTimes(page, "Next step", 5);
    // No batch could be fed: running mean 0, running variance 1.
    assertAllClose(assert, await readQuantity(page, "y"), forwardRef([[3, 4]], { gamma: [1, 1], beta: [0, 0], eps: 1e-5, mean: [0, 0], var: [1, 1] }).y, "eval y");
    assert.deepEqual(problems(), []);
  } finally {
    await context.close();
  }
});

test("the URL holds the whole view: a link reopens it", { timeout: 30_000 }, async () => {
  const { context, page, problems } = await openStepper(browser, server.url);
  let href;
  try {
    await typeBatch(page, [[0.5, 8], [1.5, 9], [4, 7]]);
    await page.getByRole("textbox", { name: "gamma feature 2", exact: true }).fill("3");
    await page.getByRole("button", { name: "Next batch" }).click();
    await page.getByRole("button", { name: "Eval", exact: true }).click();
    await clickTimes(page, "Next step", 5);
    await page.getByRole("button", { name: "Backward", exact: true }).click();
    await clickTimes(page, "Next step", 2);
    href = await page.evaluate(() => location.href);
    assert.match(href, /mode=eval/);
    assert.match(href, /phase=backward/);
    const dgamma = await readQuantity(page, "dgamma");
    const cells = await page.locator("input.cell").evaluateAll((es) => es.map((e) => e.value));
    const second = await openStepper(browser, href);
    try {
      const p2 = second.page;
      assert.deepEqual(await p2.locator("input.cell").evaluateAll((es) => es.map((e) => e.value)), cells);
      assert.equal(await p2.getByRole("button", { name: "Eval", exact: true }).getAttribute("aria-pressed"), "true");
      assert.match(await p2.locator(".progress").textContent(), /Backward pass .* step 3 of 7/);
      assert.deepEqual(await readQuantity(p2, "dgamma"), dgamma);
      assert.match(await p2.locator(".card-running").textContent(), /2 batches fed/);
      assert.deepEqual(second.problems(), []);
    } finally {
      await second.context.close();
    }
    assert.deepEqual(problems(), []);
  } finally {
    await context.close();
  }
});

test("pasting a spreadsheet block fills and grows the grid", { timeout: 30_000 }, async () => {
  const { context, page, problems } = await openStepper(browser, server.url);
  try {
    await cell(page, 2, 1).focus();
    await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.setData("text/plain", "1\t2\t3\n4\t5\t6\n7\t8\t9\n10\t11\t12\n");
      const active = document.activeElement;
      active.dispatchEvent(new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true }));
    });
    assert.equal(await page.getByLabel("Batch size", { exact: true }).inputValue(), "5");
    assert.equal(await page.getByLabel("Features", { exact: true }).inputValue(), "3");
    assert.equal(await cell(page, 1, 1).inputValue(), "1", "row 1 is kept");
    assert.equal(await cell(page, 2, 1).inputValue(), "1");
    assert.equal(await cell(page, 5, 3).inputValue(), "12");
    assert.deepEqual(problems(), []);
  } finally {
    await context.close();
  }
});

test("Copy as PyTorch gives a snippet that reproduces the numbers; CSV has every intermediate", { timeout: 60_000 }, async () => {
  const { context, page, problems } = await openStepper(browser, server.url, { hash: hashFor({ x: [[1, 2], [3, 5], [2, 0], [4, 1]], beta: [0.5, 0] }) });
  try {
    await clickTimes(page, "Next step", 6);
    const y = await readQuantity(page, "y");
    await clickTimes(page, "Next step", 1);
    const rv = await readQuantity(page, "runningVar");
    await page.getByRole("button", { name: "Backward", exact: true }).click();
    await clickTimes(page, "Next step", 6);
    const dx = await readQuantity(page, "dx");
    await page.getByRole("button", { name: "Copy as PyTorch" }).click();
    const snippet = await page.getByLabel("PyTorch snippet").textContent();
    assert.match(snippet, /^import torch$/m);
    assert.match(snippet, /x = torch\.tensor\(\[\[1\., 2\.\],\s+\[3\., 5\.\],\s+\[2\., 0\.\],\s+\[4\., 1\.\]\], dtype=torch\.float32, requires_grad=True\)/);
    assert.match(snippet, /torch\.nn\.BatchNorm1d\(2, eps=(1e-5|0\.00001|1e-05), momentum=0\.1\)/);
    assert.match(snippet, /bn\.bias\.copy_\(torch\.tensor\(\[0\.5, 0\.\]\)\)/);
    assert.match(snippet, /y\.backward\(dy\)/);

    const torch = spawnSync("/usr/bin/python3", ["-c", "import torch"], { encoding: "utf8" });
    if (torch.status === 0) {
      const script = `${snippet}\nimport json\nprint("JSON" + json.dumps({"y": y.detach().flatten().tolist(), "dx": x.grad.flatten().tolist(), "rv": bn.running_var.tolist()}))\n`;
      const run = spawnSync("/usr/bin/python3", ["-c", script], { encoding: "utf8", timeout: 40_000 });
      assert.equal(run.status, 0, run.stderr);
      const out = JSON.parse(run.stdout.split("JSON")[1]);
      out.y.forEach((v, j) => assert.ok(Math.abs(v - y.get(`${j % 2 + 1}:${Math.floor(j / 2) + 1}`)) < 1e-5, `torch y[${j}] ${v}`));
      out.dx.forEach((v, j) => assert.ok(Math.abs(v - dx.get(`${j % 2 + 1}:${Math.floor(j / 2) + 1}`)) < 1e-5, `torch dx[${j}] ${v}`));
      out.rv.forEach((v, k) => assert.ok(Math.abs(v - rv.get(`${k + 1}:`)) < 1e-5, `torch running_var[${k}] ${v}`));
    } else {
      test.diagnostic?.("python3-torch not importable: snippet checked as text only");
    }

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download CSV" }).click()]);
    const csv = await readFile(await download.path(), "utf8");
    assert.match(csv, /^quantity,feature,row,value\n/);
    for (const q of ["mean", "var", "xhat", "y", "runningVar", "dy", "dgamma", "dbeta", "dxhat", "dvar", "dmean", "dx"]) {
      assert.match(csv, new RegExp(`^${q},`, "m"), `CSV has ${q}`);
    }
    const dx11 = csv.split("\n").find((l) => l.startsWith("dx,1,1,"));
    assert.equal(Number(dx11.split(",")[3]), dx.get("1:1"));
    assert.deepEqual(problems(), []);
  } finally {
    await context.close();
  }
});

test("keyboard only: Tab reaches the step buttons, Enter steps; axe finds nothing serious", { timeout: 60_000 }, async () => {
  const { context, page, problems } = await openStepper(browser, server.url);
  try {
    let found = false;
    for (let i = 0; i < 80 && !found; i++) {
      await page.keyboard.press("Tab");
      found = await page.evaluate(() => document.activeElement?.textContent === "Next step");
    }
    assert.ok(found, "Next step is reachable with Tab");
    await page.keyboard.press("Enter");
    await page.keyboard.press(" ");
    assert.match(await page.locator(".progress").textContent(), /step 3 of 8/);
    const forward = await axeViolations(page);
    // The backward view with every earlier step open.
    await page.getByRole("button", { name: "Backward", exact: true }).click();
    await page.locator(".earlier summary").click();
    const backward = await axeViolations(page);
    const all = [...forward, ...backward];
    if (process.env.BN_REPORT_AXE) console.log("light 1280", JSON.stringify(all));
    assert.deepEqual(all.filter((v) => v.impact === "serious" || v.impact === "critical"), []);
    assert.deepEqual(problems(), [], "console errors");
  } finally {
    await context.close();
  }
});

test("360 px phone layout: no sideways page scroll, controls fit; the dark theme toggle passes axe", { timeout: 30_000 }, async () => {
  const wide = [[1, 2, 3, 4, 5, 6, 7, 8], [2, 3, 4, 5, 6, 7, 8, 9], [0, 1, 0, 1, 0, 1, 0, 1]];
  const { context, page, problems } = await openStepper(browser, server.url, { width: 360, height: 740, hash: hashFor({ x: wide }) });
  try {
    await clickTimes(page, "Next step", 6);
    const widths = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, body: document.body.scrollWidth }));
    assert.ok(widths.doc <= 360 && widths.body <= 360, `page is ${JSON.stringify(widths)} wide at 360 px`);
    for (const name of ["Next step", "Previous step", "Reset", "Backward", "Train", "Eval"]) {
      const box = await page.getByRole("button", { name, exact: true }).boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= 360, `${name} fits: ${JSON.stringify(box)}`);
      assert.ok(box.height >= 24, `${name} is a usable target`);
    }
    const toggle = page.getByRole("button", { name: "Dark theme" });
    assert.equal(await toggle.getAttribute("aria-pressed"), "false");
    const before = await page.locator(".bns").evaluate((e) => getComputedStyle(e).backgroundColor);
    await toggle.click();
    assert.equal(await toggle.getAttribute("aria-pressed"), "true");
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
    const afterColor = await page.locator(".bns").evaluate((e) => getComputedStyle(e).backgroundColor);
    assert.notEqual(afterColor, before, "the stepper's colours follow the toggle");
    // Dark theme on a phone: axe (colour contrast included) finds nothing serious.
    const dark = await axeViolations(page);
    if (process.env.BN_REPORT_AXE) console.log("dark 360", JSON.stringify(dark));
    assert.deepEqual(dark.filter((v) => v.impact === "serious" || v.impact === "critical"), []);
    assert.deepEqual(problems(), []);
  } finally {
    await context.close();
  }
});
