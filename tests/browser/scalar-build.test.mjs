// The scalar WebAssembly build in a real browser. Engines without
// WebAssembly SIMD get it; Chromium and Firefox both have SIMD, so the pages
// take ?wasm=scalar (web/js/wasm-choice.js), and a WebAssembly.validate that
// refuses SIMD stands in for an engine without it. Each page shows the build
// it runs as data-wasm; only that build's .wasm is fetched; and every number
// the stepper shows, and every figure of the trainer after the same steps,
// is the same as with the SIMD build (the project claims bit-identical builds).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { openPage, useBrowserAndServer } from "./browser.mjs";
import { openStepper, hashFor } from "./fixtures/stepper-helpers.mjs";
import { waitForFirstFrame, waitForSteps } from "./trainer-driver.mjs";

let browser, server;
useBrowserAndServer((b, s) => { browser = b; server = s; });

const X = [[1.5, -2, 10], [0.25, 3, 10], [-1, 0.5, 10], [2.75, 4, 1000.5]];
const HASH = hashFor({ x: X, gamma: [2, -0.5, 1.5], beta: [0.25, 1, -3] });

// Stands in for an engine without WebAssembly SIMD: modules with a SIMD
// opcode (prefix 0xfd) do not validate, whatever the browser supports.
function refuseSimd() {
  const validate = WebAssembly.validate.bind(WebAssembly);
  WebAssembly.validate = (bytes) => {
    const view = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return !view.includes(0xfd) && validate(bytes);
  };
}

// Every number the stepper shows at every forward and backward step.
async function stepperNumbers(page) {
  const shown = [];
  const collect = async (label) => {
    const values = await page.locator("[data-quantity], [data-before]").evaluateAll((els) => els.map((e) =>
      `${e.dataset.quantity ?? `before ${e.dataset.before}`}[${e.dataset.feature ?? ""},${e.dataset.row ?? ""}]=${e.dataset.value}`));
    shown.push(`${label}: ${values.join(" ")}`);
  };
  const next = page.getByRole("button", { name: "Next step", exact: true });
  for (const phase of ["forward", "backward"]) {
    if (phase === "backward") await page.getByRole("button", { name: "Backward", exact: true }).click();
    for (let step = 0; ; step++) {
      await collect(`${phase} ${step}`);
      if (await next.isDisabled()) break;
      await next.click();
    }
  }
  return shown;
}

let simdStepper;   // the SIMD run, shared by the tests below (closed at the end)
after(() => simdStepper?.context.close().catch(() => {}));   // (the browser may be closed already)
async function simdRun() {
  simdStepper ??= await openStepperOn("");
  return simdStepper;
}

async function openStepperOn(query, { initScript } = {}) {
  const opened = await openStepper(browser, `${server.url}${query}`, { hash: HASH, initScript });
  const wasm = await opened.page.locator(".engine[data-wasm]").getAttribute("data-wasm");
  return { ...opened, wasm, numbers: await stepperNumbers(opened.page) };
}

test("stepper: ?wasm=scalar runs the scalar build and shows the same numbers at every step", { timeout: 60_000 }, async () => {
  const simd = await simdRun();
  const scalar = await openStepperOn("?wasm=scalar");
  try {
    assert.equal(simd.wasm, "simd", "the default build is SIMD here (the control)");
    assert.equal(scalar.wasm, "scalar");
    assert.deepEqual(simd.wasmFetched, ["bn-simd.wasm"]);
    assert.deepEqual(scalar.wasmFetched, ["bn-scalar.wasm"]);
    assert.ok(simd.numbers.length >= 12, `${simd.numbers.length} steps`);
    assert.ok(simd.numbers.join("").includes("dx["), "the backward steps were read");
    assert.deepEqual(scalar.numbers, simd.numbers);
    assert.deepEqual(simd.problems(), []);
    assert.deepEqual(scalar.problems(), []);
  } finally {
    await scalar.context.close();
  }
});

test("stepper: an engine without WebAssembly SIMD gets the scalar build by itself, same numbers", { timeout: 60_000 }, async () => {
  const simd = await simdRun();
  const noSimd = await openStepperOn("", { initScript: refuseSimd });
  try {
    assert.equal(noSimd.wasm, "scalar");
    assert.deepEqual(noSimd.wasmFetched, ["bn-scalar.wasm"]);
    assert.deepEqual(noSimd.numbers, simd.numbers);
    assert.deepEqual(noSimd.problems(), []);
  } finally {
    await noSimd.context.close();
  }
});

// Both panels' figures after `steps` presses of Step, from the worker's build.
async function trainerFigures(query, steps) {
  const opened = await openPage(browser, null);
  const workers = [];
  opened.page.on("worker", (w) => workers.push(w.url()));
  await opened.page.goto(`${server.url}trainer.html${query}#dataset=moons&hidden=8,8&lr=0.5&seed=5`);
  await waitForFirstFrame(opened.page);
  const readFigures = () => opened.page.locator("[data-panel]").evaluateAll((panels) => panels.map((p) =>
    Object.fromEntries(["panel", "steps", "loss", "accuracy", "testLoss", "testAccuracy"].map((k) => [k, p.dataset[k]]))));
  const initial = await readFigures();
  const step = opened.page.getByRole("button", { name: "Step", exact: true });
  for (let i = 1; i <= steps; i++) {
    await step.click();
    await waitForSteps(opened.page, i);
  }
  const figures = await readFigures();
  const wasm = await opened.page.locator(".bnt-root[data-wasm]").getAttribute("data-wasm");
  return { ...opened, initial, figures, wasm, workers };
}

test("trainer: ?wasm=scalar reaches the worker, which trains to the same figures as SIMD", { timeout: 90_000 }, async () => {
  const simd = await trainerFigures("", 12);
  const scalar = await trainerFigures("?wasm=scalar", 12);
  try {
    assert.equal(simd.wasm, "simd", "the default build is SIMD here (the control)");
    assert.equal(scalar.wasm, "scalar");
    assert.equal(scalar.workers.length, 1);
    assert.match(scalar.workers[0], /worker\.js\?wasm=scalar$/);
    assert.equal(simd.figures.length, 2);
    simd.figures.forEach((f, i) => {
      assert.equal(f.steps, "12");
      assert.ok(Number.isFinite(Number(f.loss)) && Number(f.loss) > 0, `${f.panel} loss ${f.loss}`);
      assert.notEqual(f.loss, simd.initial[i].loss, `${f.panel}: 12 steps changed the loss`);
    });
    assert.deepEqual(scalar.initial, simd.initial);
    assert.deepEqual(scalar.figures, simd.figures);
    assert.deepEqual(simd.problems, []);
    assert.deepEqual(scalar.problems, []);
  } finally {
    await simd.context.close();
    await scalar.context.close();
  }
});
