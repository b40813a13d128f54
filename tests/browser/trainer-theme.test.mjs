// The trainer page's light/dark theme: it follows the system's colour scheme
// (page, panels and canvases dark, axe colour contrast included), and its
// "Dark theme" toggle switches every colour at once, is remembered across a
// reload and carries over to the stepper page (localStorage "bn-theme").
import { test } from "node:test";
import assert from "node:assert/strict";
import { axeViolations, openPage, useBrowserAndServer } from "./browser.mjs";
import { waitForFirstFrame } from "./trainer-driver.mjs";

let browser, server;
useBrowserAndServer((b, s) => { browser = b; server = s; });

// Relative luminance (WCAG) of a CSS "rgb(r, g, b)" string or an [r, g, b] array.
function luminance(colour) {
  const [r, g, b] = (typeof colour === "string" ? colour.match(/\d+(\.\d+)?/g).map(Number) : colour)
    .slice(0, 3).map((c) => c / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

async function colours(page) {
  return page.evaluate(async () => {
    // Let a scheduled paint land first.
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const background = (selector) => getComputedStyle(document.querySelector(selector)).backgroundColor;
    // The histogram strip of the first frame: its left columns hold no frame
    // yet, so they show the "empty bin" colour the canvas read from the CSS.
    const strip = document.querySelector('[data-panel="bn"] canvas.bnt-strip');
    const pixel = Array.from(strip.getContext("2d").getImageData(30, 5, 1, 1).data);
    return { page: background("body"), panel: background('[data-panel="bn"]'), strip: pixel,
      text: getComputedStyle(document.querySelector(".bnt-lede")).color };
  });
}

const isDark = (c) => c.strip[3] === 255 && luminance(c.page) < 0.05 && luminance(c.panel) < 0.05 && luminance(c.strip) < 0.05
  && luminance(c.text) > 0.4;
const isLight = (c) => c.strip[3] === 255 && luminance(c.page) > 0.8 && luminance(c.panel) > 0.8 && luminance(c.strip) > 0.8
  && luminance(c.text) < 0.1;

async function axeSerious(page) {
  const violations = await axeViolations(page);
  if (violations.length) console.log(`axe (minor): ${JSON.stringify(violations)}`);
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

test("a dark system scheme gives a dark page, panels and canvases; axe finds nothing serious", { timeout: 60_000 }, async () => {
  const { page, context, problems } = await openPage(browser, `${server.url}trainer.html`, { colorScheme: "dark" });
  try {
    await waitForFirstFrame(page);
    const dark = await colours(page);
    assert.ok(isDark(dark), `dark colours expected: ${JSON.stringify(dark)}`);
    const toggle = page.getByRole("button", { name: "Dark theme", exact: true });
    assert.equal(await toggle.getAttribute("aria-pressed"), "true", "the toggle shows the system's dark theme");
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), undefined, "nothing chosen yet");
    assert.deepEqual(await axeSerious(page), []);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("the toggle switches the theme, repaints while paused, and is remembered on reload and on the stepper page", { timeout: 60_000 }, async () => {
  const { page, context, problems } = await openPage(browser, `${server.url}trainer.html`, { colorScheme: "light" });
  try {
    await waitForFirstFrame(page);
    assert.ok(isLight(await colours(page)), `light colours expected: ${JSON.stringify(await colours(page))}`);
    const toggle = page.getByRole("button", { name: "Dark theme", exact: true });
    assert.equal(await toggle.getAttribute("aria-pressed"), "false");
    await toggle.click();
    assert.equal(await toggle.getAttribute("aria-pressed"), "true");
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
    assert.equal(await page.evaluate(() => localStorage.getItem("bn-theme")), "dark");
    // Nothing is training, so only the theme change repaints the canvases.
    await page.waitForFunction(() => {
      const strip = document.querySelector('[data-panel="bn"] canvas.bnt-strip');
      return strip.getContext("2d").getImageData(30, 5, 1, 1).data[0] < 60;
    });
    assert.ok(isDark(await colours(page)), `dark after the toggle: ${JSON.stringify(await colours(page))}`);
    assert.deepEqual(await axeSerious(page), []);

    await page.reload();
    await waitForFirstFrame(page);
    assert.equal(await toggle.getAttribute("aria-pressed"), "true", "remembered across a reload");
    assert.ok(isDark(await colours(page)), "dark after the reload");

    await page.goto(`${server.url}index.html`);
    const stepperToggle = page.getByRole("button", { name: "Dark theme", exact: true });
    await page.locator(".bns").waitFor();
    assert.equal(await stepperToggle.getAttribute("aria-pressed"), "true", "carried over to the stepper page");
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
    assert.ok(luminance(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)) < 0.05);
    await stepperToggle.click();   // back to light on the stepper page ...
    assert.equal(await page.evaluate(() => localStorage.getItem("bn-theme")), "light");

    await page.goto(`${server.url}trainer.html`);
    await waitForFirstFrame(page);
    assert.equal(await toggle.getAttribute("aria-pressed"), "false", "... and light on the trainer page");
    assert.ok(isLight(await colours(page)), `light again: ${JSON.stringify(await colours(page))}`);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
