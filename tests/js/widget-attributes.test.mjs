// The widgets' attribute lists come from the state tables: <bn-stepper>
// observes exactly one attribute per stepper field, <bn-trainer> every name
// of every trainer field. Loaded in Node with the two DOM globals
// widgets.js needs at load time stubbed (nothing is rendered). The
// contract, docs/page-hooks.md, names every one of them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { ATTRIBUTES, FIELDS as STEPPER_FIELDS } from "../../web/js/stepper/state.js";
import { FIELDS as TRAINER_FIELDS } from "../../web/js/trainer-page/state.js";

globalThis.HTMLElement ??= class {};
const defined = new Map();
globalThis.customElements ??= { get: (name) => defined.get(name), define: (name, element) => defined.set(name, element) };
const { BnStepperElement, BnTrainerElement } = await import("../../web/js/widgets.js");

test("<bn-stepper> observes an attribute for every field of the stepper's table, and only those", () => {
  const observed = BnStepperElement.observedAttributes;
  for (const field of STEPPER_FIELDS) assert.ok(observed.includes(field.attribute), `${field.key}: no attribute observed`);
  assert.deepEqual(observed, ATTRIBUTES);
  for (const name of ["data", "batch", "features", "gamma", "beta", "eps", "momentum", "mode", "convention",
    "phase", "step", "dy", "dy-source", "target"]) assert.ok(observed.includes(name), name);
});

test("<bn-trainer> observes every field by key, attribute and alias, plus its own switches", () => {
  const observed = BnTrainerElement.observedAttributes;
  for (const field of TRAINER_FIELDS) {
    for (const name of [field.key.toLowerCase(), field.attribute, ...(field.aliases ?? [])].filter(Boolean)) {
      assert.ok(observed.includes(name), `${field.key}: ${name} not observed`);
    }
  }
  for (const name of ["controls", "presets", "autoplay", "preset", "test-fraction", "init", "steps-per-frame"]) {
    assert.ok(observed.includes(name), name);
  }
});

test("docs/page-hooks.md names every URL key and attribute of both tables", () => {
  const doc = readFileSync(new URL("../../docs/page-hooks.md", import.meta.url), "utf8");
  for (const f of STEPPER_FIELDS) {
    assert.ok(doc.includes(`| \`${f.url}\` | \`${f.attribute}\` |`), `stepper ${f.key}: no row for ${f.url} / ${f.attribute}`);
  }
  for (const f of TRAINER_FIELDS) {
    const row = doc.split("\n").find((line) => line.startsWith(`| \`${f.key}\` |`));
    assert.ok(row, `trainer ${f.key}: no row`);
    for (const name of [f.attribute, ...(f.aliases ?? [])].filter(Boolean)) assert.ok(row.includes(`\`${name}\``), `${f.key}: ${name}`);
  }
});
