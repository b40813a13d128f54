// Screenshots of the stepper's normalization lab for the README
// (docs/screenshots/), each from a link, so each picture is a reproducible state:
//   node scripts/stepper-screenshots.mjs        (after scripts/build.sh)
//   node scripts/stepper-screenshots.mjs stepper-conv-fold.png   (only the files named)
// Debian's chromium via playwright-core, the page served with the strict CSP.
// stepper-lab-steps.png (the chosen statistic's numbers) is taken only by a
// build whose library has the lab's layers (BatchNorm2d, LayerNorm,
// GroupNorm, InstanceNorm2d).
import { launchBrowser, openPage, serve } from "../tests/browser/browser.mjs";

const LAB = "#x=1,2;3,5&norm=group&groups=2&shape=2,4,3,3&stat=2";
const SHOTS = [
  { file: "stepper-lab.png", hash: LAB, parts: [".card-lab > .row-controls", ".card-lab .image-batch", ".card-lab .stat-info"] },
  { file: "stepper-five-norms.png", hash: LAB, parts: [".card-lab .five-norms"] },
  { file: "stepper-lab-steps.png", hash: LAB, parts: [".card-lab .lab-steps", ".card-lab .lab-dependence"], needsLayers: true },
  { file: "stepper-conv-fold.png", hash: "#x=1,2;3,5&norm=batch2d&shape=2,2,2,2&mode=eval", parts: [".card-lab .conv-fold"], needsLayers: true },
];
const only = process.argv.slice(2);

const browser = await launchBrowser();
const server = await serve();
try {
  for (const { file, hash, parts, needsLayers } of SHOTS.filter((shot) => !only.length || only.includes(shot.file))) {
    const { page, context } = await openPage(browser, `${server.url}${hash}`, { width: 1280, height: 900 });
    await page.locator(".card-lab .stat-info").waitFor({ timeout: 60_000 });
    if (needsLayers && await page.locator('[data-note="layers-missing"]').count()) {
      console.log(`docs/screenshots/${file}: skipped (this build has no BatchNorm2d / LayerNorm / GroupNorm / InstanceNorm2d)`);
      await context.close();
      continue;
    }
    await page.waitForTimeout(500);
    // The union of the parts' boxes, in page coordinates.
    const boxes = await Promise.all(parts.map((p) => page.locator(p).first().evaluate((e) => {
      const r = e.getBoundingClientRect();
      return { x: r.left + scrollX, y: r.top + scrollY, right: r.right + scrollX, bottom: r.bottom + scrollY };
    })));
    const x = Math.min(...boxes.map((b) => b.x)) - 8, y = Math.min(...boxes.map((b) => b.y)) - 8;
    const clip = { x, y, width: Math.max(...boxes.map((b) => b.right)) + 8 - x, height: Math.max(...boxes.map((b) => b.bottom)) + 8 - y };
    await page.screenshot({ path: new URL(`../docs/screenshots/${file}`, import.meta.url).pathname, clip, fullPage: true });
    console.log(`docs/screenshots/${file}: ${hash}`);
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
