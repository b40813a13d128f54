// Time from navigation to the stepper's first computed number, and to the
// trainer's first trained frame, in Chromium (Debian's, through
// playwright-core), served with the strict CSP. Each run is a fresh browser
// context (nothing cached); the page records performance marks when the
// first formula and the first [data-quantity] number appear, or (trainer)
// when both panels first show data-steps >= 1, the frame of step 1 of
// trainer.html#step=1 (performance.now() counts from the navigation).
// Prints a table and one JSON line.
//   node bench/page-load.mjs [--runs N] [--warmup N] [--web DIR] [--dist DIR] [--no-dist] [--no-trainer]
// --warmup: unmeasured rounds first (default 1), so that the browser's own
// processes are started and warm, as a user's browser is when they follow a
// link; every measured run is still a fresh context with nothing cached.
// --web: a web/ tree (default this repo's; index.html#step=1);
// --dist: a dist/ tree (default this repo's, when built: a page with
// <bn-stepper step="1">). Pass several of each to compare trees in one run
// (they alternate run by run, so the machine's load hits them alike).
// The trainer runs from every --web tree (--no-trainer: not at all).
import { chromium } from "playwright-core";
import { existsSync } from "node:fs";
import { writeFile, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startServer } from "../scripts/serve.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const args = process.argv.slice(2);
const option = (name) => args.flatMap((a, i) => (a === name ? [args[i + 1]] : []));
const runs = Number(option("--runs")[0] ?? 10);
const warmup = Number(option("--warmup")[0] ?? 1);
const webs = option("--web").length ? option("--web") : [join(root, "web")];
const dists = option("--dist").length ? option("--dist")
  : !args.includes("--no-dist") && existsSync(join(root, "dist")) ? [join(root, "dist")] : [];

const SNIPPET = "bn-page-load.html";
const snippet = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>load</title><link rel="icon" href="favicon.svg">
<script type="module" src="bn-widgets.js"></script></head><body>
<bn-stepper batch="4" features="2" data="1,2;3,5;2,0;4,1" step="1"></bn-stepper></body></html>`;

// Runs in the trainer page before its scripts: marks its first trained frame.
function observeTrainer() {
  const seen = {};
  const trained = () => {
    const panels = document.querySelectorAll("[data-panel][data-steps]");
    return panels.length >= 2 && [...panels].every((p) => Number(p.dataset.steps) >= 1);
  };
  new MutationObserver(() => {
    if (seen.frame === undefined && trained()) {
      seen.frame = performance.now();
      performance.mark("bn:first-trained-frame");
    }
  }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ["data-steps"] });
  window.__bnFirst = seen;
}

// Runs in the page before its scripts: marks the first formula and the first number.
function observe() {
  const seen = {};
  const check = (root) => {
    for (const [name, selector] of [["formula", ".tex"], ["number", "[data-quantity]"]]) {
      if (!seen[name] && root.querySelector(selector)) {
        seen[name] = performance.now();
        performance.mark(`bn:first-${name}`);
      }
    }
  };
  const watch = (root) => new MutationObserver(() => {
    check(root);
    for (const el of root.querySelectorAll("bn-stepper")) if (el.shadowRoot && !el.shadowRoot.__bnWatched) { el.shadowRoot.__bnWatched = true; watch(el.shadowRoot); check(el.shadowRoot); }
  }).observe(root, { childList: true, subtree: true });
  watch(document);
  window.__bnFirst = seen;
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update"] });
const targets = [];
for (const dir of webs) {
  const { server, url } = await startServer(resolve(dir));
  targets.push({ label: `web ${dir}`, url: `${url}index.html#x=1,2;3,5;2,0;4,1&step=1`, server });
}
if (!args.includes("--no-trainer")) {
  for (const dir of webs) {
    const { server, url } = await startServer(resolve(dir));
    targets.push({ label: `trainer ${dir}`, url: `${url}trainer.html#step=1`, server, trainer: true });
  }
}
for (const dir of dists) {
  await writeFile(join(dir, SNIPPET), snippet);
  const { server, url } = await startServer(resolve(dir));
  targets.push({ label: `dist ${dir}`, url: `${url}${SNIPPET}`, server, cleanup: () => rm(join(dir, SNIPPET), { force: true }) });
}
for (const t of targets) t.samples = [];
try {
  for (let r = 0; r < warmup + runs; r++) {
    for (const t of targets) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await page.addInitScript(t.trainer ? observeTrainer : observe);
      await page.goto(t.url);
      const mark = t.trainer ? "frame" : "number";
      await page.waitForFunction((m) => window.__bnFirst?.[m] !== undefined, mark, { timeout: 30_000 });
      const sample = await page.evaluate(() => ({ ...window.__bnFirst,
        wasmRequested: performance.getEntriesByType("resource").find((e) => e.name.endsWith(".wasm"))?.startTime,
        scriptKB: performance.getEntriesByType("resource").filter((e) => /\.m?js$/.test(new URL(e.name).pathname)).reduce((s, e) => s + e.decodedBodySize, 0) / 1000 }));
      if (r >= warmup) t.samples.push(sample);
      await context.close();
    }
  }
} finally {
  await browser.close();
  for (const t of targets) { t.server.close(); await t.cleanup?.(); }
}
const out = targets.map((t) => t.trainer
  ? { target: t.label, page: "trainer", runs, firstTrainedFrameMs: median(t.samples.map((s) => s.frame)),
    minFirstTrainedFrameMs: Math.min(...t.samples.map((s) => s.frame)), scriptKB: t.samples[0].scriptKB }
  : { target: t.label, page: "stepper", runs, firstFormulaMs: median(t.samples.map((s) => s.formula)),
    firstNumberMs: median(t.samples.map((s) => s.number)), minFirstNumberMs: Math.min(...t.samples.map((s) => s.number)),
    wasmRequestedMs: median(t.samples.map((s) => s.wasmRequested ?? NaN)),
    scriptKB: t.samples[0].scriptKB });
for (const o of out) {
  const times = o.page === "trainer"
    ? `first trained frame ${o.firstTrainedFrameMs.toFixed(0).padStart(5)} ms (min ${o.minFirstTrainedFrameMs.toFixed(0)})`
    : `.wasm requested ${o.wasmRequestedMs.toFixed(0).padStart(4)} ms  first formula ${o.firstFormulaMs.toFixed(0).padStart(5)} ms  first number ${o.firstNumberMs.toFixed(0).padStart(5)} ms (min ${o.minFirstNumberMs.toFixed(0)})`;
  console.error(`${o.target.padEnd(60)} ${times}  JS ${o.scriptKB.toFixed(0)} KB (main thread)`);
}
console.log(JSON.stringify({ pageLoad: out }));
