// Screenshots of the live trainer for the README (docs/screenshots/), taken
// from links with a step= key, so each picture is a reproducible state:
//   node scripts/trainer-screenshots.mjs        (after scripts/build.sh)
// Debian's chromium via playwright-core, the page served with the strict CSP.
import { launchBrowser, openPage, serve } from "../tests/browser/browser.mjs";

const SHOTS = [
  { file: "trainer-desktop.png", hash: "#preset=aggressive&step=400", colorScheme: "light" },
  { file: "trainer-dark.png", hash: "#dataset=spiral&hidden=32,32&lr=0.3&seed=2&step=1500", colorScheme: "dark" },
];

const browser = await launchBrowser();
const server = await serve();
try {
  for (const { file, hash, colorScheme } of SHOTS) {
    const step = /step=(\d+)/.exec(hash)[1];
    const { page, context } = await openPage(browser, `${server.url}trainer.html${hash}`, { width: 1280, height: 900, colorScheme });
    await page.locator(`[data-panel="plain"][data-steps="${step}"]`).waitFor({ timeout: 120_000 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: new URL(`../docs/screenshots/${file}`, import.meta.url).pathname });
    console.log(`docs/screenshots/${file}: ${hash}`);
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
