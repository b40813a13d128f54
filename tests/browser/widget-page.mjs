// A course author's page with the two widgets, opened and checked as a
// reader would use it: the documented <bn-stepper data="1,2;3,5;2,0;4,1">
// computes its batch mean, the <bn-trainer> trains one step, the trainer's
// worker and the .wasm come from `assets` on the page's own origin, nothing
// is fetched from another host, and there is no console error, page error
// or CSP violation.
import assert from "node:assert/strict";
import { openPage } from "./browser.mjs";
import { waitForFirstFrame, waitForSteps } from "./trainer-driver.mjs";

// Opens `url` recording every request and worker: { context, page, problems, requests, workers }.
export async function openRecording(browser, url) {
  const opened = await openPage(browser, null);
  const requests = [], workers = [];
  opened.page.on("request", (r) => requests.push(r.url()));
  opened.page.on("worker", (w) => workers.push(w.url()));
  await opened.page.goto(url);
  return { ...opened, requests, workers };
}

// `origin` ends with "/"; `assets` is the folder (from the origin) that holds bn-widgets' files.
export async function assertWidgetsWork({ page, problems, requests, workers }, { origin, assets }) {
  const stepper = page.locator("bn-stepper").first();
  await stepper.getByLabel("x row 4 feature 2", { exact: true }).waitFor({ timeout: 30_000 });
  await stepper.getByRole("button", { name: "Next step", exact: true }).click();
  const mean = stepper.locator('[data-quantity="mean"][data-feature="1"]').first();
  await mean.waitFor();
  assert.equal(Number(await mean.getAttribute("data-value")), 2.5, "the stepper's batch mean of feature 1");
  const trainer = page.locator("bn-trainer").first();
  await waitForFirstFrame(trainer);
  await trainer.getByRole("button", { name: "Step", exact: true }).click();
  await waitForSteps(trainer, 1);

  const ours = workers.filter((u) => u.startsWith(`${origin}${assets}worker.js`));
  assert.equal(ours.length, 1, `one bn-trainer worker from ${assets}; workers: ${workers.join(", ")}`);
  assert.deepEqual(workers.filter((u) => !u.startsWith(origin)), [], "workers from another origin");
  const wasm = requests.filter((u) => u.endsWith(".wasm"));
  assert.ok(wasm.length >= 1 && wasm.every((u) => u.startsWith(`${origin}${assets}`)), `wasm from ${wasm.join(", ")}`);
  assert.deepEqual(requests.filter((u) => !u.startsWith(origin)), [], "requests to other hosts");
  assert.deepEqual(problems, []);
}
