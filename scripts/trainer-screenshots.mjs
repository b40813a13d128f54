// Screenshots of the live trainer for the README (docs/screenshots/), taken
// from links with a step= key, so each picture is a reproducible state:
//   node scripts/trainer-screenshots.mjs        (after scripts/build.sh)
// Debian's chromium via playwright-core, the page served with the strict CSP.
import { launchBrowser, openPage, serve } from "../tests/browser/browser.mjs";

const SHOTS = [
  { file: "trainer-desktop.png", hash: "#preset=aggressive&step=1000", colorScheme: "light" },
  { file: "trainer-dark.png", hash: "#dataset=spiral&hidden=32,32&lr=0.3&seed=2&step=1500", colorScheme: "dark" },
  { file: "trainer-recalibrate.png", hash: "#preset=slowStats&step=300", colorScheme: "light", recalibrate: true, fullPage: true },
  { file: "trainer-standardized.png", hash: "#preset=standardized&step=2000", colorScheme: "light", fullPage: true },
];

const browser = await launchBrowser();
const server = await serve();
try {
  for (const { file, hash, colorScheme, recalibrate = false, fullPage = false } of SHOTS) {
    const step = /step=(\d+)/.exec(hash)[1];
    const { page, context } = await openPage(browser, `${server.url}trainer.html${hash}`, { width: 1280, height: 900, colorScheme });
    await page.locator(`[data-panel="plain"][data-steps="${step}"]`).waitFor({ timeout: 120_000 });
    await page.waitForTimeout(500);
    if (recalibrate) {
      await page.getByRole("button", { name: "Recalibrate statistics", exact: true }).click();
      await page.waitForTimeout(800);
    }
    await page.screenshot({ path: new URL(`../docs/screenshots/${file}`, import.meta.url).pathname, fullPage });
    console.log(`docs/screenshots/${file}: ${hash}`);
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
