// The trainer page's state table (web/js/trainer-page/state.js), in Node:
// every field round-trips through the URL hash and the <bn-trainer>
// attributes, older names still read, a preset is the base other settings
// override, an outside schema changes the ranges in one place, and the
// options it builds are the ones bn.Trainer accepts.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  FIELDS, applySchema, controlKeys, defaultState, fieldByName, formatField, parseField, presetState, stateFromEntries, stateFromHash,
  stateToHash, trainerOptions, panelOptions,
} from "../../web/js/trainer-page/state.js";
import { PRESETS } from "../../web/js/trainer-page/presets.js";
import { PRESET_CONFIGS, presetOptions } from "../../web/js/presets-config.js";
import { loadBN } from "../../web/js/bn.js";
import { readOptions } from "../../web/js/validate.js";

const bn = await loadBN();

// One non-default value per field; a field added without one fails here.
// (preset and control: below, with a preset's own settings.)
const SAMPLE = {
  lr: 0.03, dataset: "xor", activation: "tanh", optimizer: "adam", batchSize: 8, hidden: [32, 8, 4], noise: 0.3,
  samples: 300, testFraction: 0.25, init: "xavier", seed: 99, layer: 2, stepsPerFrame: 17, step: 250,
  norm: "none", momentum: null, normPlacement: "after", residual: "on", lab: "on", preset: "", control: "",
};
const PRESET_KEYS = ["preset", "control"];

test("the sample covers every field with a value that is not its default", () => {
  assert.deepEqual(Object.keys(SAMPLE).sort(), FIELDS.map((f) => f.key).sort());
  const d = defaultState();
  for (const f of FIELDS) if (!PRESET_KEYS.includes(f.key)) assert.notDeepEqual(SAMPLE[f.key], d[f.key], f.key);
});

test("every preset and each of its controls round-trips through the URL hash, its panels the config's", () => {
  for (const [id, config] of Object.entries(PRESET_CONFIGS)) {
    for (const control of ["", ...config.controls.map((c) => c.id)]) {
      const state = { ...presetState(id, defaultState(), control), seed: 3, layer: 1, step: 40 };
      assert.deepEqual(stateFromHash(stateToHash(state)), state, `${id} ${control}`);
      const panels = panelOptions(state);
      for (const panel of ["bn", "plain"]) {
        assert.deepEqual(panels[panel], presetOptions(id, panel, { control: control || null, seed: 3 }), `${id} ${control} ${panel}`);
      }
    }
  }
  assert.equal(stateFromHash("#preset=aggressive&control=nonsense").control, "", "an unknown control is the preset's own pair");
  assert.equal(stateFromHash("#preset=aggressive&control=shallow").control, "", "another preset's control is not this one's");
});

test("every field round-trips through the URL hash and through its widget attribute", () => {
  const back = stateFromHash(new URL(`https://example.org/trainer.html${stateToHash(SAMPLE)}`).hash);
  assert.deepEqual(back, SAMPLE);
  for (const f of FIELDS) {
    const names = [f.key, f.key.toLowerCase(), f.attribute, ...(f.aliases ?? [])].filter(Boolean);
    for (const name of names) {
      const text = f.kind === "layers" ? SAMPLE[f.key].join(",") : String(SAMPLE[f.key]);
      const state = stateFromEntries([[name, text]]);
      assert.deepEqual(state[f.key], SAMPLE[f.key], `${f.key} as ${name}="${text}"`);
    }
  }
});

test("step (train to step N on load) is a link key only: left out at 0, a whole number 0 to 1e6", () => {
  assert.doesNotMatch(stateToHash(defaultState()), /step=/);
  assert.match(stateToHash({ ...defaultState(), step: 500 }), /&step=500/);
  assert.equal(stateFromHash("#step=500").step, 500);
  assert.equal(stateFromHash("#step=-1").step, 0);
  assert.equal(stateFromHash("#step=2.5").step, 0);
  assert.ok(!controlKeys().includes("step"), "set by Pause and by links, not a form control");
  assert.ok(!("step" in trainerOptions(stateFromHash("#step=500"))), "not a Trainer option");
});

test("Hidden layers: a count, a count × width (50x32, 6×8), or a list; long uniform nets are written NxW", () => {
  const hidden = FIELDS.find((f) => f.key === "hidden");
  assert.deepEqual(parseField("hidden", "3x32").value, [32, 32, 32]);
  assert.deepEqual(parseField("hidden", " 6 × 8 ").value, new Array(6).fill(8));
  assert.deepEqual(parseField("hidden", "4").value, [16, 16, 16, 16]);
  assert.match(parseField("hidden", `${hidden.maxLayers + 1}x16`).error, /count × width like 6x32/);
  assert.match(parseField("hidden", `2x${hidden.maxWidth + 1}`).error, /^Hidden layers must be/);
  assert.match(parseField("hidden", "x16").error, /^Hidden layers must be/);
  assert.match(stateToHash({ ...defaultState(), hidden: [16, 16, 16] }), /hidden=16%2C16%2C16/, "short nets stay a list");
  const saved = hidden.maxLayers;
  try {
    hidden.maxLayers = 100;
    const deep = new Array(50).fill(32);
    assert.match(stateToHash({ ...defaultState(), hidden: deep }), /hidden=50x32/);
    assert.deepEqual(stateFromHash("#hidden=50x32").hidden, deep);
    assert.equal(formatField("hidden", [...deep.slice(1), 16]), [...deep.slice(1), 16].join(","));
  } finally {
    hidden.maxLayers = saved;
  }
});

test("older names still read: speed is stepsPerFrame, batch is batchSize", () => {
  const s = stateFromHash("#speed=20&batch=8");
  assert.equal(s.stepsPerFrame, 20);
  assert.equal(s.batchSize, 8);
  assert.equal(fieldByName("BATCHSIZE").key, "batchSize");
  assert.equal(fieldByName("steps-per-frame").key, "stepsPerFrame");
  assert.doesNotMatch(stateToHash(s), /speed=/, "written under the one name");
});

test("a preset is read first: its settings are the base, the other entries override them", () => {
  for (const p of PRESETS) {
    const s = stateFromHash(`#preset=${p.id}`);
    assert.equal(s.preset, p.id);
    const { seed, ...left } = presetOptions(p.id, "bn");
    // residual is the Residual blocks control's choice in the state ("on" | "off").
    for (const [key, value] of Object.entries(left)) {
      assert.deepEqual(s[key], key === "residual" ? (value ? "on" : "off") : value, `${p.id}: ${key}`);
    }
  }
  assert.deepEqual(PRESETS.map((p) => p.name), ["Aggressive learning rate", "Standardized inputs", "Minibatch noise",
    "Deep network", "100 layers: residual blocks and BN", "BN before or after the activation", "Slow running statistics"]);
  const s = stateFromEntries([["lr", "0.5"], ["preset", "aggressive"]]);
  assert.equal(s.lr, 0.5, "an entry overrides the preset, in any order");
  assert.equal(s.activation, "relu");
  assert.equal(s.preset, "", "a network setting that differs from the preset's: the view is no longer the preset");
  assert.deepEqual(panelOptions(s).bn, trainerOptions(s));
  assert.equal(panelOptions(s).plain.norm, "none");
  assert.equal(stateFromEntries([["seed", "4"], ["preset", "aggressive"]]).preset, "aggressive", "the seed keeps the preset");
  assert.equal(stateFromHash("#preset=nonsense").preset, "");
  assert.doesNotMatch(stateToHash(defaultState()), /preset=/, "no preset, no preset key");
  assert.match(stateToHash(presetState("noise")), /preset=noise/);
  assert.ok(!controlKeys().includes("preset"), "a preset is chosen by its button, not a form control");
  assert.ok(controlKeys().includes("init") && controlKeys().includes("testFraction"));
});

test("bad values are skipped with a sentence naming the control; the layer stays inside the network", () => {
  const s = stateFromHash("#batchSize=0&lr=0&init=he&testFraction=0.9&hidden=abc&layer=5&dataset=moons&momentum=2");
  assert.deepEqual([s.batchSize, s.lr, s.init, s.testFraction, s.hidden, s.momentum], [32, 0.1, "auto", 0.2, [16, 16], 0.1]);
  assert.equal(s.layer, 2, "clamped to the two hidden layers");
  assert.equal(s.dataset, "moons");
  assert.match(parseField("testFraction", "0.9").error, /^Test fraction must be a number from 0 to 0\.5/);
  assert.match(parseField("init", "he").error, /^Initialization must be one of auto, kaiming, xavier/);
  assert.match(parseField("hidden", "101").error, /layer count 1–100/);
  assert.deepEqual(parseField("hidden", "100x16").value, new Array(100).fill(16), "100 layers, as the core allows");
  assert.deepEqual(parseField("batchSize", "1").value, 1, "batch size 1 is a setting: batch norm refuses it in its panel");
  assert.deepEqual(parseField("momentum", "null").value, null);
  assert.match(parseField("momentum", "1.5").error, /^Momentum must be a number from 0 to 1, or null/);
});

test("applySchema: ranges, choices and defaults from an outside schema, in one place", () => {
  const saved = structuredClone(FIELDS);
  try {
    applySchema({ batchSize: { min: 4, max: 64, default: 16 }, dataset: { choices: ["moons"] },
      hidden: { maxLayers: 3, maxWidth: 32 }, unknownKey: { min: 1 }, lr: { label: "ignored" } });
    assert.match(parseField("batchSize", "2").error, /from 4 to 64/);
    assert.deepEqual(parseField("batchSize", "64"), { value: 64 });
    assert.equal(defaultState().batchSize, 16);
    assert.match(parseField("dataset", "spiral").error, /one of moons$/);
    assert.match(parseField("hidden", "4").error, /1–3 .* from 1 to 32/);
    assert.equal(FIELDS.find((f) => f.key === "lr").label, "Learning rate", "only range properties are taken");
  } finally {
    FIELDS.forEach((f, i) => {
      for (const key of Object.keys(f)) delete f[key];
      Object.assign(f, saved[i]);
    });
  }
});

test("trainerOptions are options bn.Trainer accepts, for the defaults, the sample and every preset", () => {
  for (const state of [defaultState(), SAMPLE, ...PRESETS.map((p) => presetState(p.id))]) {
    const options = trainerOptions(state);
    const checked = readOptions("Trainer", bn.schema.Trainer.options, options);   // what bn.Trainer reads
    for (const [key, value] of Object.entries(options)) assert.deepEqual(checked[key], value, key);
    new bn.Trainer(options).dispose();   // and the core's rules that tie options together
  }
  const { init, testFraction } = trainerOptions(SAMPLE);
  assert.deepEqual([init, testFraction], ["xavier", 0.25]);
});
