// While both networks train, the page's main thread stays free.
// 1. From a Chromium trace: no main-thread task uses 50 ms of CPU (the work
//    the page itself does, whatever else runs on the machine).
// 2. In the page: no task over 50 ms of wall time (PerformanceObserver
//    'longtask') and a 16 ms setInterval probe never late by 50 ms. On a
//    shared, overloaded machine a descheduled browser shows long tasks that
//    the page did not cause, so a window is measured up to three times and
//    one clean window passes; when the machine's load per core is above 2
//    the wall-time figures are only reported.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpus, loadavg } from "node:os";
import { openPage, useBrowserAndServer } from "./browser.mjs";
import { readPanel, settle, waitForFirstFrame } from "./trainer-driver.mjs";

const WINDOW_MS = 3000;
const ATTEMPTS = 3;

let browser, server;
useBrowserAndServer((b, s) => { browser = b; server = s; });

async function measureWindow(page) {
  const before = (await readPanel(page, "bn")).steps;
  await page.evaluate(() => {
    window.__probe = { longTasks: [], maxLate: 0, ticks: 0 };
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__probe.longTasks.push(Math.round(entry.duration));
    });
    observer.observe({ type: "longtask" });
    let expected = performance.now() + 16;
    const timer = setInterval(() => {
      const now = performance.now();
      window.__probe.maxLate = Math.max(window.__probe.maxLate, now - expected);
      window.__probe.ticks += 1;
      expected = now + 16;
    }, 16);
    window.__stopProbe = () => { observer.disconnect(); clearInterval(timer); };
  });
  await page.waitForTimeout(WINDOW_MS);
  const probe = await page.evaluate(() => { window.__stopProbe(); return window.__probe; });
  const draws = await page.evaluate(() => performance.getEntriesByName("bn-trainer draw").map((e) => e.duration));
  return { ...probe, steps: (await readPanel(page, "bn")).steps - before,
    longestDraw: Math.max(...draws), meanDraw: draws.reduce((s, d) => s + d, 0) / draws.length };
}

// Main-thread tasks of a trace: [{ wallMs, cpuMs }].
function mainThreadTasks(traceBuffer) {
  const parsed = JSON.parse(traceBuffer.toString("utf8"));
  const events = parsed.traceEvents ?? parsed;
  const main = new Set(events.filter((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain")
    .map((e) => `${e.pid}:${e.tid}`));
  return events.filter((e) => e.name === "RunTask" && main.has(`${e.pid}:${e.tid}`) && e.dur !== undefined)
    .map((e) => ({ wallMs: e.dur / 1000, cpuMs: (e.tdur ?? e.dur) / 1000 }));
}

test("no main-thread task takes 50 ms of CPU while training (trace)", async () => {
  const { page, context, problems } = await openPage(browser, `${server.url}trainer.html#hidden=32,32,32&speed=20`);
  try {
    await waitForFirstFrame(page);
    await page.getByRole("button", { name: "Play", exact: true }).click();
    await browser.startTracing(page, { categories: ["devtools.timeline", "disabled-by-default-devtools.timeline"] });
    await page.waitForTimeout(WINDOW_MS);
    const tasks = mainThreadTasks(await browser.stopTracing());
    await page.getByRole("button", { name: "Pause", exact: true }).click();
    await settle(page);
    const cpu = tasks.map((t) => t.cpuMs), wall = tasks.map((t) => t.wallMs);
    const total = cpu.reduce((s, v) => s + v, 0);
    console.log(`trace of ${WINDOW_MS} ms training: ${tasks.length} main-thread tasks, longest ` +
      `${Math.max(...cpu).toFixed(1)} ms CPU / ${Math.max(...wall).toFixed(1)} ms wall, ` +
      `main thread busy ${(100 * total / WINDOW_MS).toFixed(0)} % of one core`);
    assert.ok(tasks.length > 50, `only ${tasks.length} main-thread tasks traced`);
    assert.ok(Math.max(...cpu) < 50, `a main-thread task used ${Math.max(...cpu)} ms of CPU`);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("the main thread is not blocked while training (longtask + interval probe)", async () => {
  const { page, context, problems } = await openPage(browser, `${server.url}trainer.html#hidden=32,32,32&speed=20`);
  try {
    await waitForFirstFrame(page);
    await page.getByRole("button", { name: "Play", exact: true }).click();
    const windows = [];
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const w = await measureWindow(page);
      windows.push(w);
      console.log(`window ${attempt}: ${w.steps} steps in ${WINDOW_MS} ms, long tasks ${JSON.stringify(w.longTasks)}, ` +
        `probe late by at most ${w.maxLate.toFixed(1)} ms, draw mean ${w.meanDraw.toFixed(1)} ms / max ${w.longestDraw.toFixed(1)} ms`);
      assert.ok(w.steps > 100, `only ${w.steps} steps trained in ${WINDOW_MS} ms`);
      if (w.longTasks.length === 0 && w.maxLate < 50) break;
    }
    await page.getByRole("button", { name: "Pause", exact: true }).click();
    await settle(page);
    const clean = windows.some((w) => w.longTasks.length === 0 && w.maxLate < 50);
    const loadPerCore = loadavg()[0] / cpus().length;
    if (loadPerCore > 2 && !clean) {
      console.log(`machine load ${loadPerCore.toFixed(1)} per core: wall-time long tasks reported, not asserted`);
    } else {
      assert.ok(clean, `every window had a main-thread task over 50 ms: ${JSON.stringify(windows.map((w) => w.longTasks))}`);
    }
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
