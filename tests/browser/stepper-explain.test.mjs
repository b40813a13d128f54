// Every number on the stepper explains itself (issue 12, items 4–9 and 13):
// the gradient check agrees on the large-offset, batch-of-2 and 1e5 cases
// and says why dx ≈ 0 for two rows; float32 storage is shown and explained;
// eval right after one batch says why x̂ is far from ±1; a constant
// feature's dx = ±dy/√ε is explained; each x̂ column shows its mean and
// variance; numbers have fixed significant digits and "≈ 0 (float32
// rounding)" where the answer is 0; computed dy cells show their whole
// value; the running statistics have no hat; axe finds nothing in the notes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { axeViolations, useBrowserAndServer } from "./browser.mjs";
import { openStepper, readQuantity, clickTimes } from "./fixtures/stepper-helpers.mjs";

let browser, server;
useBrowserAndServer((b, s) => { browser = b; server = s; });

const LAST_BACKWARD = "phase=backward&step=6";

async function checkGradient(page) {
  await page.getByRole("button", { name: "Check gradient" }).click();
  const rel = Number(await page.locator('[data-check="relError"]').getAttribute("data-value"));
  const verdict = await page.locator('[data-check="verdict"]').getAttribute("data-value");
  return { rel, verdict, text: await page.locator(".check-result").textContent() };
}

test("Check gradient agrees on the large-offset, batch-of-2 and x ≈ 1e5 cases, and says why dx ≈ 0 for two rows", { timeout: 60_000 }, async () => {
  const cases = [
    ["x=1000;1000.001&dy=1;-0.2", (dx) => Math.abs(dx.get("1:1") - 183.148) < 1e-3],
    ["x=1,2;3,5", (dx) => Math.abs(dx.get("1:1")) < 1e-4],
    ["x=100000.1;100000.2;100000.3", (dx) => Math.abs(dx.get("1:1") - 0.07018) < 1e-4],
  ];
  for (const [hash, dxOk] of cases) {
    const { context, page, problems } = await openStepper(browser, server.url, { hash: `${hash}&${LAST_BACKWARD}` });
    try {
      const dx = await readQuantity(page, "dx");
      assert.ok(dxOk(dx), `${hash}: dx ${[...dx]}`);
      const { rel, verdict, text } = await checkGradient(page);
      assert.ok(rel < 1e-3, `${hash}: relative error ${rel}`);
      assert.equal(verdict, "agree", hash);
      assert.match(text, /They agree/);
      // The estimates are shown beside dx, row by row.
      const fd = await readQuantity(page, "fd", { attr: "data-check" });
      assert.equal(fd.size, dx.size);
      if (hash.startsWith("x=1,2;3,5")) {
        const note = page.locator('[data-note="two-rows"]');
        assert.equal(await note.count(), 2, "one note per feature");
        assert.match(await note.first().textContent(), /x̂ = ±σ\/√\(σ² \+ ε\) = ±0\.99999/);
        const expected = Number(await page.locator('[data-expected="dx"][data-feature="1"]').getAttribute("data-value"));
        assert.ok(Math.abs(expected - dx.get("1:1")) < 1e-2 * Math.abs(expected), `the note's dx ${expected} vs the core's ${dx.get("1:1")}`);
        assert.match(text, /dx ≈ 0 here, and that is right/);
      }
      assert.deepEqual(problems(), []);
    } finally {
      await context.close();
    }
  }
});

test("float32 made visible: 100000.1 is shown as stored, and σ² = 0.00636 is explained", { timeout: 30_000 }, async () => {
  const { context, page, problems } = await openStepper(browser, server.url, { hash: "x=100000.1;100000.2;100000.3" });
  try {
    const note = page.locator('.panel [data-note="float32"]');
    const text = await note.textContent();
    assert.match(text, /100000\.1 is stored as 100000\.1015625/);
    assert.match(text, /0\.0078125 apart/);
    assert.match(text, /σ² = 0\.0063612, where the values as typed would give 0\.0066667/);
    await clickTimes(page, "Next step", 1);
    assert.match(await page.locator(".notes").textContent(), /float32 storage shows in the numbers/);
    assert.match(await page.locator(".panel").textContent(), /\(100000\.1015625 \+ 100000\.203125 \+ 100000\.296875\) \/ 3 = 100000\.200521/);
    const mean = (await readQuantity(page, "mean")).get("1:");
    assert.ok(Math.abs(mean - 100000.20052083333) < 1e-7, `the double mean the core uses: ${mean}`);
    await clickTimes(page, "Next step", 1);
    assert.match(await page.locator(".panel").textContent(), /100000\.1015625 − 100000\.200521 = −0\.098958/);
    // An ordinary batch has no such note.
    await page.getByRole("textbox", { name: "x row 1 feature 1", exact: true }).fill("1");
    assert.equal(await page.locator('[data-note^="float32"]').count(), 0);
    assert.deepEqual(problems(), []);
  } finally {
    await context.close();
  }
});

test("eval right after one batch says why x̂ is far from ±1 and points at Next batch", { timeout: 30_000 }, async () => {
  const { context, page, problems } = await openStepper(browser, server.url, { hash: "x=1000;1001&mode=eval&step=5" });
  try {
    const note = page.locator('[data-note="eval-lag"]');
    const text = await note.textContent();
    assert.match(text, /after 1 training batch/);
    assert.match(text, /1 − 0\.9ⁿ of the way: 10 % here/);
    assert.match(text, /Next batch/);
    const runningMean = Number(await note.locator('[data-quantity="mean"]').getAttribute("data-value"));
    const batchMean = Number(await note.locator('[data-quantity="batchMean"]').getAttribute("data-value"));
    assert.ok(Math.abs(runningMean - 100.05) < 1e-3 && batchMean === 1000.5, `${runningMean} vs ${batchMean}`);
    const xhat = await readQuantity(page, "xhat");
    assert.ok(Math.abs(xhat.get("1:1")) > 100, "x̂ is far from ±1");
    // Training: no such note; eval where the running statistics fit: none either.
    await page.getByRole("button", { name: "Train", exact: true }).click();
    assert.equal(await note.count(), 0);
    const fitted = await openStepper(browser, server.url, { hash: "x=-1;1&mode=eval" });
    assert.equal(await fitted.page.locator('[data-note="eval-lag"]').count(), 0);
    await fitted.context.close();
    assert.deepEqual(problems(), []);
  } finally {
    await context.close();
  }
});

test("a constant feature's dx = ±dy/√ε is explained where it appears", { timeout: 30_000 }, async () => {
  const { context, page, problems } = await openStepper(browser, server.url, { hash: `x=1,5;2,5;3,5&${LAST_BACKWARD}` });
  try {
    const dx = await readQuantity(page, "dx");
    assert.ok(Math.abs(Math.abs(dx.get("2:2")) - 158.11) < 0.01, `dx ${dx.get("2:2")}`);
    const notes = page.locator('[data-note="constant-dx"]');
    assert.equal(await notes.count(), 1, "feature 2 only");
    const text = await notes.textContent();
    assert.match(text, /dx = γ \(dy − mean dy\) \/ √ε/);
    assert.match(text, /1\/√ε = 316\.23/);
    assert.match(text, /= (−)?158\.11/);
    assert.deepEqual(problems(), []);
  } finally {
    await context.close();
  }
});

test("each x̂ column shows its mean (≈ 0) and variance σ²/(σ² + ε)", { timeout: 30_000 }, async () => {
  const { context, page, problems } = await openStepper(browser, server.url, { hash: "x=0.1,1.1;0.2,2.3;-0.3,0.7&step=5" });
  try {
    const mean = await readQuantity(page, "xhatMean");
    const variance = await readQuantity(page, "xhatVar");
    const expected = await readQuantity(page, "xhatVar", { attr: "data-expected" });
    const sigma2 = await readQuantity(page, "var");
    for (const k of [1, 2]) {
      assert.ok(Math.abs(mean.get(`${k}:`)) < 1e-7, `mean of x̂ ${k}`);
      const want = sigma2.get(`${k}:`) / (sigma2.get(`${k}:`) + 1e-5);
      assert.ok(Math.abs(expected.get(`${k}:`) - want) < 1e-12);
      assert.ok(Math.abs(variance.get(`${k}:`) - want) < 1e-6, `variance of x̂ ${k}: ${variance.get(`${k}:`)} vs ${want}`);
      assert.ok(variance.get(`${k}:`) < 1, "not exactly 1");
    }
    // A float leftover where the answer is 0 reads "≈ 0 (float32 rounding)", with the value kept.
    const meanText = await page.locator('[data-quantity="xhatMean"][data-feature="1"]').textContent();
    assert.equal(meanText, "≈ 0 (float32 rounding)");
    assert.notEqual(mean.get("1:"), 0);
    // The variance shows how far it is from 1.
    assert.match(await page.locator('[data-quantity="xhatVar"][data-feature="2"]').textContent(), /^0\.9999\d{3,}$/);
    await clickTimes(page, "Previous step", 4);
    assert.equal(await page.locator('.panel [data-quantity="mean"][data-feature="1"]').textContent(), "≈ 0 (float32 rounding)");
    assert.deepEqual(problems(), []);
  } finally {
    await context.close();
  }
});

test("fixed significant digits everywhere, whole values in computed dy cells, no hats on the running statistics", { timeout: 30_000 }, async () => {
  const { context, page, problems } = await openStepper(browser, server.url, { hash: "x=1,2;3,5;2,0;4,1&step=7&earlier=true" });
  try {
    const texts = await page.locator(".num:not(.leftover)").evaluateAll((els) => els.map((e) => e.textContent));
    assert.ok(texts.length > 30);
    for (const t of texts) {
      const digits = t.replace(/[()−]/g, "").replace(/e.*$/, "").replace(".", "").replace(/^0+/, "");
      assert.ok(t.replace(/[()]/g, "") === "0" || digits.length >= 5, `"${t}" has fewer than 5 significant digits`);
    }
    assert.match(await page.locator(".panel").textContent(), /μrun = 0\.9 · 0 \+ 0\.1 · 2\.5000 = 0\.25000/);
    const sources = await page.locator(".panel annotation").evaluateAll((els) => els.map((e) => e.textContent).join(" "));
    assert.match(sources, /\\mu_\{\\text\{run\}\}/);
    assert.doesNotMatch(sources, /\\hat\\(mu|sigma)/, "x̂ keeps its hat to itself");
    assert.match(await page.locator(".panel").textContent(), /PyTorch's running_mean and running_var/);

    await page.getByRole("button", { name: "Backward", exact: true }).click();
    assert.match(await page.locator(".panel").textContent(), /Type it in the dy grid above/);
    await page.getByRole("radio", { name: /the loss/ }).check();
    await page.getByRole("textbox", { name: "target row 1 feature 1", exact: true }).fill("0.123");
    const cut = await page.locator('input[data-grid="dy"]').evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth).map((e) => e.value));
    assert.deepEqual(cut, [], "computed dy cells show their whole value");
    assert.ok((await page.locator('input[data-grid="dy"]').evaluateAll((els) => els.map((e) => e.value))).some((v) => v.length > 7));
    assert.deepEqual(problems(), []);
  } finally {
    await context.close();
  }
});

test("axe finds nothing in the new notes, light and dark", { timeout: 60_000 }, async () => {
  for (const colorScheme of ["light", "dark"]) {
    for (const hash of ["x=100000.1;100000.2;100000.3", "x=1000;1001&mode=eval&step=5", `x=1,5;2,5;3,5&${LAST_BACKWARD}`, `x=1,2;3,5&${LAST_BACKWARD}`]) {
      const { context, page, problems } = await openStepper(browser, server.url, { hash, colorScheme });
      try {
        if (hash.includes("backward")) await page.getByRole("button", { name: "Check gradient" }).click();
        if (hash.includes("step=5")) await page.getByRole("button", { name: "Next step", exact: true }).waitFor();
        assert.deepEqual(await axeViolations(page), [], `${colorScheme} ${hash}`);
        assert.deepEqual(problems(), []);
      } finally {
        await context.close();
      }
    }
  }
});
