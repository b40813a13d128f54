// Screenshots of the live trainer for the README (docs/screenshots/), taken
// from links with a step= key, so each picture is a reproducible state:
//   node scripts/trainer-screenshots.mjs        (after scripts/build.sh)
//   node scripts/trainer-screenshots.mjs trainer-depth.png   (only that one)
// A shot may picture one element (element: a selector) instead of the window.
// Debian's chromium via playwright-core, the page served with the strict CSP.
import { launchBrowser, openPage, serve } from "../tests/browser/browser.mjs";

const SHOTS = [
  { file: "trainer-desktop.png", hash: "#preset=aggressive&step=1000", colorScheme: "light" },
  { file: "trainer-dark.png", hash: "#dataset=spiral&hidden=32,32&lr=0.3&seed=2&step=1500", colorScheme: "dark" },
  { file: "trainer-recalibrate.png", hash: "#preset=slowStats&step=300", colorScheme: "light", recalibrate: true, fullPage: true },
  // Running statistics vs the truth (running-stats-view.js), after Recalibrate statistics.
  { file: "trainer-running-stats.png", hash: "#preset=slowStats&step=300", colorScheme: "light", recalibrate: true,
    element: '[data-panel="bn"] .bnt-running-stats' },
  { file: "trainer-standardized.png", hash: "#preset=standardized&step=2000", colorScheme: "light", fullPage: true },
  // The depth view of the deep sigmoid net (presets-config.js "deep").
  { file: "trainer-depth.png", hash: "#dataset=moons&hidden=10x16&activation=sigmoid&lr=1&seed=1&lab=on&step=1000",
    colorScheme: "light", element: '[data-view="depth"]' },
];
const only = process.argv.slice(2);

const browser = await launchBrowser();
const server = await serve();
try {
  for (const { file, hash, colorScheme, recalibrate = false, fullPage = false, element = null } of SHOTS) {
    if (only.length && !only.includes(file)) continue;
    const step = /step=(\d+)/.exec(hash)[1];
    const { page, context } = await openPage(browser, `${server.url}trainer.html${hash}`, { width: 1280, height: 900, colorScheme });
    await page.locator(`[data-panel="plain"][data-steps="${step}"]`).waitFor({ timeout: 120_000 });
    if (element?.includes("depth")) await page.locator(`[data-depth-panel="plain"][data-steps="${step}"]`).waitFor();
    await page.waitForTimeout(500);
    if (recalibrate) {
      await page.getByRole("button", { name: "Recalibrate statistics", exact: true }).click();
      await page.waitForTimeout(800);
    }
    const path = new URL(`../docs/screenshots/${file}`, import.meta.url).pathname;
    if (element) await page.locator(element).screenshot({ path });
    else await page.screenshot({ path, fullPage });
    console.log(`docs/screenshots/${file}: ${hash}`);
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
