// Drives a live trainer (the page or a <bn-trainer> widget) the way a person
// would: by button names and labels, reading the figures each panel exposes
// as data-loss / data-accuracy / data-steps (docs/page-hooks.md).

// { loss, accuracy, testAccuracy, steps } of the panel "bn" or "plain" inside `scope`.
export async function readPanel(scope, key) {
  const panel = scope.locator(`[data-panel="${key}"]`);
  const read = async (name) => {
    const value = await panel.getAttribute(`data-${name}`);
    return value === null ? NaN : Number(value);
  };
  return {
    loss: await read("loss"), accuracy: await read("accuracy"),
    testAccuracy: await read("test-accuracy"), steps: await read("steps"),
  };
}

// Waits until both panels have trained at least `steps` steps.
export async function waitForSteps(scope, steps, timeout = 60_000) {
  const started = Date.now();
  for (;;) {
    const [bn, plain] = [await readPanel(scope, "bn"), await readPanel(scope, "plain")];
    if (bn.steps >= steps && plain.steps >= steps) return { bn, plain };
    if (Date.now() - started > timeout) {
      throw new Error(`trainer reached ${bn.steps}/${plain.steps} steps, not ${steps}, in ${timeout} ms`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

// Waits until the first frame has arrived (data-loss is set on both panels).
export async function waitForFirstFrame(scope, timeout = 30_000) {
  await scope.locator('[data-panel="bn"][data-loss]').waitFor({ timeout });
  await scope.locator('[data-panel="plain"][data-loss]').waitFor({ timeout });
}

// Plays until both panels reach `steps`, then pauses and returns their figures.
export async function trainFor(scope, steps, timeout) {
  await scope.getByRole("button", { name: "Play", exact: true }).click();
  await waitForSteps(scope, steps, timeout);
  await scope.getByRole("button", { name: "Pause", exact: true }).click();
  await settle(scope);
  return { bn: await readPanel(scope, "bn"), plain: await readPanel(scope, "plain") };
}

// Waits until the step counters stop moving (frames in flight have landed).
export async function settle(scope) {
  let last = -1;
  for (let i = 0; i < 50; i++) {
    const { steps } = await readPanel(scope, "bn");
    if (steps === last) return steps;
    last = steps;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error("the trainer kept stepping after Pause");
}
