// The depth lab's views as a person uses them (docs/page-hooks.md, "The
// depth lab"): Santurkar et al.'s measures present and updating while
// training, sampled only while their view is open; a click on a layer in
// the depth view picks it for the histograms without restarting; axe finds
// nothing with both parts open, light and dark; at depth 100 with both
// parts open, the page's worker trains at least 100 steps/s and every
// main-thread task stays under 16 ms of work, with the panels, the depth
// view and the landscape each on screen in turn (a Chromium trace of the
// tasks' CPU time, always; the "bn-trainer draw" measure's wall time, as in
// trainer-responsive.test.mjs, and steps/s on a machine not overloaded).
// A frame busy for 17 ms more every 50 frames fails it (tried by hand).
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpus, loadavg } from "node:os";
import { axeViolations, openPage, useBrowserAndServer } from "./browser.mjs";
import { readPanel, settle } from "./trainer-driver.mjs";

let browser, server;
useBrowserAndServer((b, s) => { browser = b; server = s; });

const DEEP = "#dataset=moons&hidden=10x16&activation=sigmoid&lr=1&seed=1";
const DEPTH_100 = "#dataset=moons&hidden=100x16&activation=relu&lr=0.02&residual=on&seed=1";
const samplesOf = (page, measure) => page.locator(`.bnt-landscape-table tr[data-measure="${measure}"]`).getAttribute("data-samples").then(Number);

test("Santurkar et al.'s measures: sampled only while shown, then present and updating, BN against plain", { timeout: 120_000 }, async () => {
  const { page, context, problems } = await openPage(browser, `${server.url}trainer.html${DEEP}&step=300`);
  try {
    await page.locator('[data-panel="plain"][data-steps="300"]').waitFor({ timeout: 60_000 });
    // Closed while training to 300: opening takes one sample, of the networks as they are.
    await page.getByText("Loss landscape: Santurkar", { exact: false }).click();
    await page.waitForFunction(() => document.querySelector('tr[data-measure="lossRange"]')?.dataset.samples === "1");
    const view = page.locator(".bnt-landscape");
    for (const name of ["Loss along the gradient, L(w − ηg), at the latest sample",
      "Variation of the loss along the gradient (max − min over the step sizes)",
      "Gradient predictiveness: largest ‖∇L(w − ηg) − ∇L(w)‖ along the step",
      "Internal covariate shift: mean over layers of ‖G − G′‖"]) {
      // Each chart is built by the frame scheduler within a few frames of the view opening.
      await view.getByRole("img", { name, exact: true }).waitFor({ state: "attached", timeout: 10_000 });
      assert.equal(await view.getByRole("img", { name, exact: true }).count(), 1, name);
    }
    assert.match(await view.textContent(), /What the paper found: Santurkar, Tsipras, Ilyas and Madry \(2018\)/);
    // Playing: more samples arrive, every few steps, in both networks' rows and charts.
    await page.getByRole("button", { name: "Play", exact: true }).click();
    await page.waitForFunction(() => Number(document.querySelector('tr[data-measure="lossRange"]').dataset.samples) >= 4, null, { timeout: 60_000 });
    await page.getByRole("button", { name: "Pause", exact: true }).click();
    await settle(page);
    const rows = await page.locator(".bnt-landscape-table tbody tr").evaluateAll((trs) => trs.map((r) => ({ ...r.dataset })));
    console.log(`after ${(await readPanel(page, "bn")).steps} steps: ${rows.map((r) => `${r.measure} bn ${Number(r.bn).toPrecision(3)} ` +
      `plain ${Number(r.plain).toPrecision(3)} (${r.verdict})`).join("; ")}`);
    for (const row of rows) {
      assert.ok(Number(row.samples) >= 4, row.measure);
      assert.ok(Number.isFinite(Number(row.bn)) && Number.isFinite(Number(row.plain)), JSON.stringify(row));
      assert.ok(["smaller", "larger", "similar"].includes(row.verdict), JSON.stringify(row));
    }
    // The latest sample's line: the loss at η = 0 and at 8 step sizes, for each network.
    const legend = await page.locator(".bnt-landscape .u-legend").first().locator(".u-value").allTextContents();
    assert.ok(legend.every((v) => v.trim() !== "–"), JSON.stringify(legend));
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("a click on a layer in the depth view picks it for the histograms, without restarting", { timeout: 60_000 }, async () => {
  const { page, context, problems } = await openPage(browser, `${server.url}trainer.html${DEEP}&step=200`);
  try {
    await page.locator('[data-panel="plain"][data-steps="200"]').waitFor({ timeout: 60_000 });
    await page.getByText("Layer by layer", { exact: false }).click();
    await page.locator('[data-depth-panel="plain"][data-steps="200"]').waitFor();
    // The plain network's gradient-norm strip: its top row is layer 10.
    const strip = page.getByRole("img", { name: /^plain network: Gradient norm of every layer over time/ });
    const box = await strip.boundingBox();
    await strip.click({ position: { x: box.width - 3, y: 2 } });
    await page.waitForFunction(() => /layer=10/.test(location.hash));
    assert.equal(await page.getByLabel("Histogram layer", { exact: true }).inputValue(), "10");
    assert.equal(await page.locator('[data-panel="bn"] .bnt-layer-label').textContent(), "10");
    assert.match(await page.locator('[data-depth-panel="plain"] [data-layer-selected]').textContent(), /^Layer 10 /);
    // Hovering the strip reads out a layer, its step and value.
    assert.match(await strip.locator("xpath=ancestor::figure").textContent(), /layer 10, step \d+: /);
    // The same run: still at step 200 (a restart would be step 0).
    assert.equal((await readPanel(page, "bn")).steps, 200);
    // A click in the gradient chart near its left edge picks layer 1.
    const over = page.locator('[data-depth-panel="bn"] .u-over').first();
    const overBox = await over.boundingBox();
    await over.click({ position: { x: 10, y: overBox.height / 2 } });   // nearest to layer 1
    await page.waitForFunction(() => /layer=1(&|$)/.test(location.hash));
    assert.equal((await readPanel(page, "bn")).steps, 200);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("axe finds nothing with the depth lab open, light and dark", { timeout: 120_000 }, async () => {
  for (const colorScheme of ["light", "dark"]) {
    const { page, context, problems } = await openPage(browser, `${server.url}trainer.html${DEEP}&step=100`, { colorScheme });
    try {
      await page.locator('[data-panel="plain"][data-steps="100"]').waitFor({ timeout: 60_000 });
      await page.getByText("Layer by layer", { exact: false }).click();
      await page.getByText("Loss landscape: Santurkar", { exact: false }).click();
      await page.locator('[data-depth-panel="plain"][data-steps="100"]').waitFor();
      await page.waitForFunction(() => document.querySelector('tr[data-measure="ics"]')?.dataset.samples === "1");
      await page.waitForTimeout(300);
      assert.deepEqual(await axeViolations(page), [], colorScheme);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  }
});

// Main-thread tasks of a trace: { at: start (trace µs), cpu: ms of the
// thread's CPU time }, and the trace's user-timing marks by name (µs).
function mainThreadTasks(traceBuffer) {
  const parsed = JSON.parse(traceBuffer.toString("utf8"));
  const events = parsed.traceEvents ?? parsed;
  const main = new Set(events.filter((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain").map((e) => `${e.pid}:${e.tid}`));
  const tasks = events.filter((e) => e.name === "RunTask" && main.has(`${e.pid}:${e.tid}`) && e.dur !== undefined)
    .map((e) => ({ at: e.ts, cpu: (e.tdur ?? e.dur) / 1000 }));
  const marks = new Map(events.filter((e) => e.cat?.includes("blink.user_timing") && e.name.startsWith("view: "))
    .map((e) => [e.name, e.ts]));
  return { tasks, marks };
}

const sortedUp = (values) => [...values].sort((a, b) => a - b);
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

// What a person watching the depth-100 preset sees, in turn: the panels (the
// top of the page), the depth view, the loss landscape; a figure is painted
// when it is on screen or near it (depth-view.js), so each is measured.
const VIEWS = [
  { name: "panels", scroll: () => window.scrollTo(0, 0) },
  { name: "layer by layer", scroll: () => document.querySelector('[data-depth-panel="bn"]').scrollIntoView() },
  { name: "loss landscape", scroll: () => document.querySelector(".bnt-landscape").scrollIntoView() },
];
const VIEW_MS = 2500;
const FRAME_WORK_MS = 16;
const WINDOWS = 2;

// One window: each view in turn, traced. Returns the tasks' CPU ms (sorted),
// the frames' script wall ms (sorted), steps/s and the load per core.
async function measureViews(page) {
  await page.evaluate(() => performance.clearMeasures("bn-trainer draw"));
  const before = (await readPanel(page, "bn")).steps;
  const started = Date.now();
  await browser.startTracing(page, { categories: ["devtools.timeline", "disabled-by-default-devtools.timeline", "blink.user_timing"] });
  // Scrolling to a view (its figures painted over the next frames) is part of what is measured.
  for (const view of VIEWS) {
    await page.evaluate((name) => performance.mark(`view: ${name}`), view.name);
    await page.evaluate(view.scroll);
    await page.waitForTimeout(VIEW_MS);
  }
  const { tasks, marks } = mainThreadTasks(await browser.stopTracing());
  const steps = (await readPanel(page, "bn")).steps - before;
  const seconds = (Date.now() - started) / 1000;
  const draws = sortedUp(await page.evaluate(() => performance.getEntriesByName("bn-trainer draw").map((e) => e.duration)));
  const rate = steps / seconds;
  const load = loadavg()[0] / cpus().length;
  const cpu = sortedUp(tasks.map((t) => t.cpu));
  console.log(`depth 100, residual + BN, 20 steps per frame, depth lab open, ${seconds.toFixed(1)} s: ${rate.toFixed(0)} steps/s in the worker; ` +
    `${tasks.length} main-thread tasks, CPU p95 ${quantile(cpu, 0.95).toFixed(1)} ms, p99 ${quantile(cpu, 0.99).toFixed(1)} ms, ` +
    `max ${cpu.at(-1).toFixed(1)} ms; ${draws.length} frames drawn, script per frame (wall) median ${quantile(draws, 0.5).toFixed(1)} ms, ` +
    `p95 ${quantile(draws, 0.95).toFixed(1)} ms, max ${draws.at(-1).toFixed(1)} ms; load ${load.toFixed(1)} per core`);
  const starts = VIEWS.map((v) => marks.get(`view: ${v.name}`));
  if (starts.every(Number.isFinite)) {
    console.log(VIEWS.map((v, i) => {
      const own = sortedUp(tasks.filter((t) => t.at >= starts[i] && (i === VIEWS.length - 1 || t.at < starts[i + 1])).map((t) => t.cpu));
      return `${v.name}: ${own.length} tasks, CPU p95 ${quantile(own, 0.95).toFixed(1)} ms, max ${own.at(-1).toFixed(1)} ms`;
    }).join("; "));
  }
  return { cpu, draws, rate, load };
}

test("depth 100, depth lab open: ≥ 100 steps/s in the page's worker; every main-thread task under 16 ms of work", { timeout: 240_000 }, async () => {
  const { page, context, problems } = await openPage(browser, `${server.url}trainer.html${DEPTH_100}&stepsPerFrame=20`);
  try {
    await page.locator('[data-panel="bn"][data-loss]').waitFor({ timeout: 60_000 });
    await page.getByText("Layer by layer", { exact: false }).click();
    await page.getByText("Loss landscape: Santurkar", { exact: false }).click();
    await page.getByRole("button", { name: "Play", exact: true }).click();
    // Residual alone (the plain panel) diverges at once and stops counting: the BN network's steps.
    await page.locator('[data-panel="bn"][data-steps]').waitFor();
    await page.waitForFunction(() => Number(document.querySelector('[data-panel="bn"]').dataset.steps) >= 100);   // every chart built
    // CPU time is the page's own work, whatever else the machine runs (a
    // frame is one task: its script, style, layout, paint; a worker frame
    // arriving is another): every task of a 7.5 s window under 16 ms, in
    // every view. A second window is measured if the first had a task over
    // it (one that a machine running 4+ tasks per core slowed by chance: the
    // longest was 7-15 ms there); a page whose frames do more than 16 ms of
    // work shows it in both (17 ms more every 50 frames failed both, tried
    // by hand).
    let run, over;
    for (let window = 1; window <= WINDOWS; window++) {
      run = await measureViews(page);
      over = run.cpu.filter((c) => c >= FRAME_WORK_MS);
      if (!over.length) break;
      console.log(`window ${window}: ${over.length} main-thread tasks of ${FRAME_WORK_MS} ms of CPU or more`);
    }
    await page.getByRole("button", { name: "Pause", exact: true }).click();
    await settle(page);
    const { draws, rate, load } = run;
    assert.ok(draws.length > 40, `only ${draws.length} frames drawn`);
    assert.deepEqual(over.map((c) => c.toFixed(1)), [], `main-thread tasks of ${FRAME_WORK_MS} ms of CPU or more`);
    // Wall times and steps/s also measure what else the machine runs (other
    // builds descheduling the browser): asserted with at most 2 runnable
    // tasks per core, reported otherwise.
    if (load <= 2) {
      assert.ok(rate >= 100, `${rate.toFixed(0)} steps/s`);
      assert.ok(quantile(draws, 0.95) < FRAME_WORK_MS, `frames over ${FRAME_WORK_MS} ms: ${draws.filter((d) => d >= FRAME_WORK_MS).map((d) => d.toFixed(1))}`);
    } else {
      console.log(`machine load ${load.toFixed(1)} per core: steps/s and the frames' wall times reported, not asserted`);
    }
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
