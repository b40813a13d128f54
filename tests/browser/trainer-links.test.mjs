// Setting up a moment on the trainer: a link with step=N trains both
// networks to step N and pauses there, the same state whichever way it was
// reached (the seed makes it deterministic); Pause writes the step into the
// link; a preset in a link starts playing as its button does; the panels
// export as PNG and their curves as CSV; a print is light and without
// buttons.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { openPage, useBrowserAndServer } from "./browser.mjs";
import { readPanel, settle, waitForFirstFrame, waitForSteps } from "./trainer-driver.mjs";

// Opens url as a new document (about:blank first): a hash change then a
// reload would race the running page's own hash writes.
async function freshNavigation(page, url) {
  await page.goto("about:blank");
  await page.goto(url);
}

let browser, server;
useBrowserAndServer((b, s) => { browser = b; server = s; });

const LINK = "#dataset=moons&hidden=16,8&lr=0.3&seed=5";
const testLoss = async (page, key) => Number(await page.locator(`[data-panel="${key}"]`).getAttribute("data-test-loss"));

test("a link with step=N trains to step N and pauses; Step N times reaches the same state; Pause writes the step", async () => {
  const { page, context, problems } = await openPage(browser, `${server.url}trainer.html${LINK}&step=300`);
  try {
    await page.locator('[data-panel="plain"][data-steps="300"]').waitFor({ timeout: 60_000 });
    await settle(page);
    const linked = { bn: await readPanel(page, "bn"), plain: await readPanel(page, "plain") };
    assert.equal(linked.bn.steps, 300);
    assert.ok(await page.getByRole("button", { name: "Play", exact: true }).isVisible(), "paused at the step");
    assert.match(await page.evaluate(() => location.hash), /step=300/);

    // The same link again: the same numbers.
    await page.reload();
    await page.locator('[data-panel="bn"][data-steps="300"]').waitFor({ timeout: 60_000 });
    assert.deepEqual(await readPanel(page, "bn"), linked.bn);

    // Step by hand from 0 to 40 and compare with the link to step 40.
    await freshNavigation(page, `${server.url}trainer.html${LINK}`);
    await waitForFirstFrame(page);
    const step = page.getByRole("button", { name: "Step", exact: true });
    for (let i = 1; i <= 40; i++) await step.click();
    await waitForSteps(page, 40);
    await settle(page);
    const byHand = { bn: await readPanel(page, "bn"), plain: await readPanel(page, "plain"),
      testLoss: await testLoss(page, "plain") };
    assert.match(await page.evaluate(() => location.hash), /step=40(&|$)/, "the link holds the step reached");
    await freshNavigation(page, `${server.url}trainer.html${LINK}&step=40`);
    await page.locator('[data-panel="plain"][data-steps="40"]').waitFor({ timeout: 60_000 });
    await settle(page);
    assert.deepEqual({ bn: await readPanel(page, "bn"), plain: await readPanel(page, "plain"),
      testLoss: await testLoss(page, "plain") }, byHand);
    console.log(`step=40 by link and by 40 Step clicks: plain loss ${byHand.plain.loss}, BN loss ${byHand.bn.loss}`);

    // Play drops the step from the link; Pause writes the one reached.
    await page.getByRole("button", { name: "Play", exact: true }).click();
    await page.waitForFunction(() => !/step=/.test(location.hash));
    await waitForSteps(page, 60);
    await page.getByRole("button", { name: "Pause", exact: true }).click();
    const paused = await settle(page);
    await page.waitForFunction((n) => location.hash.includes(`step=${n}`), paused);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("a preset in a link starts training as its button does; with step=N it stops there", async () => {
  const { page, context, problems } = await openPage(browser, `${server.url}trainer.html#preset=standardized`);
  try {
    await waitForSteps(page, 20);
    assert.equal(await page.getByRole("button", { name: "Standardized inputs" }).getAttribute("aria-pressed"), "true");
    assert.ok(await page.getByRole("button", { name: "Pause", exact: true }).isVisible());
    await freshNavigation(page, `${server.url}trainer.html#preset=standardized&step=120`);
    await page.locator('[data-panel="bn"][data-steps="120"]').waitFor({ timeout: 60_000 });
    await settle(page);
    assert.equal((await readPanel(page, "bn")).steps, 120);
    assert.ok(await page.getByRole("button", { name: "Play", exact: true }).isVisible());
    assert.match(await page.evaluate(() => location.hash), /preset=standardized.*step=120|step=120.*preset=standardized/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("Download PNG gives a picture of both panels; Download CSV every recorded step of both networks", async () => {
  const { page, context, problems } = await openPage(browser, `${server.url}trainer.html${LINK}&step=200`);
  try {
    await page.locator('[data-panel="plain"][data-steps="200"]').waitFor({ timeout: 60_000 });
    await settle(page);
    const [png] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download PNG" }).click()]);
    assert.equal(png.suggestedFilename(), "batchnorm-trainer-step-200.png");
    const image = await readFile(await png.path());
    assert.deepEqual([...image.subarray(1, 4)].map((c) => String.fromCharCode(c)).join(""), "PNG");
    const [width, height] = [image.readUInt32BE(16), image.readUInt32BE(20)];
    const panels = await page.locator(".bnt-panels").boundingBox();
    assert.equal(width, Math.ceil(panels.width * 2));
    assert.equal(height, Math.ceil(panels.height * 2));
    // Not blank: the decision boundary's tints and the text make many colours.
    const colours = await page.evaluate(async (bytes) => {
      const bitmap = await createImageBitmap(new Blob([new Uint8Array(bytes)], { type: "image/png" }));
      const c = new OffscreenCanvas(bitmap.width, bitmap.height).getContext("2d");
      c.drawImage(bitmap, 0, 0);
      const data = c.getImageData(0, 0, bitmap.width, bitmap.height).data;
      const seen = new Set();
      for (let i = 0; i < data.length; i += 4 * 97) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      return seen.size;
    }, [...image]);
    assert.ok(colours > 200, `only ${colours} colours in the PNG`);
    assert.match(await page.getByRole("status").filter({ hasText: "PNG" }).textContent(), /PNG of step 200 downloaded/);

    const [csv] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download CSV" }).click()]);
    assert.equal(csv.suggestedFilename(), "batchnorm-trainer-curves.csv");
    const lines = (await readFile(await csv.path(), "utf8")).trim().split("\n");
    assert.equal(lines[0], "network,step,epoch,batchLoss,loss,testLoss,accuracy,testAccuracy,trainModeLoss,trainModeAccuracy");
    const last = (key) => lines.filter((l) => l.startsWith(`${key},`)).at(-1).split(",");
    for (const key of ["bn", "plain"]) {
      const figures = await readPanel(page, key);
      const row = last(key);
      assert.equal(Number(row[1]), 200);
      assert.equal(Number(row[4]), figures.loss, `${key}: the CSV's last train loss is the one shown`);
      assert.equal(Number(row[6]), figures.accuracy);
      assert.ok(lines.filter((l) => l.startsWith(`${key},`)).length > 20, `${key}: too few rows`);
    }
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("print: no buttons, both panels side by side, the canvases repainted light even in the dark theme", async () => {
  const { page, context, problems } = await openPage(browser, `${server.url}trainer.html#step=30`, { colorScheme: "dark" });
  try {
    await page.locator('[data-panel="bn"][data-steps="30"]').waitFor({ timeout: 60_000 });
    await settle(page);
    const stripPixel = () => page.evaluate(() => {
      const strip = document.querySelector('[data-panel="bn"] canvas.bnt-strip');
      return strip.getContext("2d").getImageData(5, 5, 1, 1).data[0];
    });
    assert.ok(await stripPixel() < 60, "dark on screen");
    await page.emulateMedia({ media: "print" });
    await page.evaluate(() => window.dispatchEvent(new Event("beforeprint")));
    assert.ok(await stripPixel() > 200, "light for the print");
    for (const name of ["Play", "Step", "Reset", "Download PNG", "Aggressive learning rate"]) {
      assert.equal(await page.getByRole("button", { name, exact: true }).isVisible(), false, `${name} printed`);
    }
    const [bn, plain] = [await page.locator('[data-panel="bn"]').boundingBox(), await page.locator('[data-panel="plain"]').boundingBox()];
    assert.ok(Math.abs(bn.y - plain.y) < 2 && plain.x > bn.x + bn.width - 2, "side by side");
    const pdf = await page.pdf({ format: "A4", landscape: true });
    assert.ok(pdf.length > 20_000, `PDF of ${pdf.length} bytes`);
    await page.evaluate(() => window.dispatchEvent(new Event("afterprint")));
    await page.emulateMedia({ media: "screen" });
    assert.ok(await stripPixel() < 60, "dark again after the print");
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
