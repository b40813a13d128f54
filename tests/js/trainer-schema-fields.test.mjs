// The trainer page's adapter from the core's option schema to its state
// table (web/js/trainer-page/schema-fields.js): enum values become choices,
// ranges limits (never wider than the schema; narrower where the page keeps
// a frame quick), the widths array the layer limits; Normalization lists
// only the norms the build trains, and the batch-1 fixes follow it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadBN } from "../../web/js/bn.js";
import { FIELDS, defaultState, parseField } from "../../web/js/trainer-page/state.js";
import { adoptSchema, fieldsFromSchema, normFixes } from "../../web/js/trainer-page/schema-fields.js";

const bn = await loadBN();
const schema = bn.schema.Trainer.options;

function withSavedFields(body) {
  const saved = structuredClone(FIELDS);
  try {
    body();
  } finally {
    FIELDS.forEach((f, i) => {
      for (const key of Object.keys(f)) delete f[key];
      Object.assign(f, saved[i]);
    });
  }
}

test("choices come from the schema's enum values, limits from its ranges, within the page's own", () => {
  const spec = fieldsFromSchema(schema, ["batch", "none"]);
  for (const key of ["dataset", "activation", "optimizer", "init", "normPlacement"]) {
    assert.deepEqual(spec[key].choices, schema[key].values, key);
  }
  assert.deepEqual(spec.norm.choices, ["batch", "none"], "only the norms the build trains");
  assert.deepEqual(spec.hidden, { minLayers: 1, maxLayers: schema.hidden.maxLength, minWidth: 1, maxWidth: schema.hidden.items.max });
  assert.deepEqual(spec.testFraction, { min: schema.testFraction.min, max: schema.testFraction.max });
  assert.deepEqual(spec.momentum, { min: 0, max: 1 });
  assert.equal(spec.batchSize.min, schema.batchSize.min);
  assert.equal(spec.batchSize.max, 256, "the page's cap, inside the schema's");
  assert.equal(spec.lr.min, 1e-4, "the schema's lr is > 0; the page's slider starts at 1e-4");
  for (const [key, s] of Object.entries(spec)) {
    if (s.min !== undefined && schema[key].min !== undefined) assert.ok(s.min >= schema[key].min, key);
    if (s.max !== undefined && schema[key].max !== undefined) assert.ok(s.max <= schema[key].max, key);
  }
  // A schema with new values (a build with layer and group norm) shows them.
  const grown = { ...schema, activation: { ...schema.activation, values: [...schema.activation.values, "gelu"] } };
  assert.ok(fieldsFromSchema(grown).activation.choices.includes("gelu"));
  assert.deepEqual(fieldsFromSchema(schema).norm.choices, schema.norm.values, "without the build's list: the schema's");
});

test("adoptSchema changes what the controls accept; the batch-1 fixes are the norms offered", () => {
  withSavedFields(() => {
    adoptSchema(schema, ["batch", "none"]);
    assert.match(parseField("norm", "layer").error, /^Normalization must be one of batch, none/);
    assert.deepEqual(parseField("samples", "10"), { value: 10 }, "the schema's minimum");
    assert.deepEqual(normFixes({ ...defaultState(), batchSize: 1 }), [], "nothing to offer without layer or group norm");
    adoptSchema(schema, ["batch", "layer", "group", "none"]);
    assert.deepEqual(normFixes({ ...defaultState(), batchSize: 1 }).map((f) => f.label), ["LayerNorm", "GroupNorm"]);
    assert.deepEqual(normFixes({ ...defaultState(), batchSize: 2 }), [], "batch norm trains at 2");
    assert.deepEqual(normFixes({ ...defaultState(), batchSize: 1, norm: "none" }), []);
  });
});
