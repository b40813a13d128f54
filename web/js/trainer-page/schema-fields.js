// The adapter from the core's option schema (bn.schema.Trainer.options,
// sent by the worker with its first frame) to the page's state table
// (state.js applySchema): enum values become a control's choices, ranges
// its limits, the array of widths the layer count and width limits. The
// page narrows a few ranges further so that a frame stays quick
// (PAGE_LIMITS); it never widens one. The norm choices are the schema's
// values this build can train (the worker tries each).
import { applySchema, FIELDS } from "./state.js";

// The page's own limits, inside the schema's: a responsive page, a usable slider.
const PAGE_LIMITS = {
  lr: { min: 1e-4, max: 10 }, samples: { max: 2000 }, batchSize: { max: 256 }, noise: { max: 1 }, seed: { max: 2 ** 31 - 1 },
};

// { key: { choices | min, max | minLayers, maxLayers, minWidth, maxWidth } } for applySchema.
export function fieldsFromSchema(schemaOptions, norms = null) {
  const spec = {};
  for (const [key, option] of Object.entries(schemaOptions ?? {})) {
    const limits = PAGE_LIMITS[key] ?? {};
    const inside = (name, pick) => [option[name], limits[name]].filter((v) => v !== undefined).reduce(pick, undefined);
    if (option.type === "enum") {
      spec[key] = { choices: key === "norm" && norms ? option.values.filter((v) => norms.includes(v)) : [...option.values] };
    } else if (option.type === "integer" || option.type === "number") {
      spec[key] = { min: inside("min", (a, b) => (a === undefined ? b : Math.max(a, b))),
        max: inside("max", (a, b) => (a === undefined ? b : Math.min(a, b))) };
    } else if (option.type === "array") {
      spec[key] = { minLayers: option.minLength, maxLayers: option.maxLength, minWidth: option.items?.min, maxWidth: option.items?.max };
    }
  }
  return spec;
}

// Applies the core's schema to the state table (the controls then refresh).
export function adoptSchema(schemaOptions, norms) {
  applySchema(fieldsFromSchema(schemaOptions, norms));
}

const NORM_NAMES = { layer: "LayerNorm", group: "GroupNorm" };

// The normalizations that train where batch norm cannot (a batch of one):
// those the table offers (so, after adoptSchema, those this build has).
export function normFixes(state) {
  if (state.norm !== "batch" || state.batchSize !== 1) return [];
  const choices = FIELDS.find((f) => f.key === "norm").choices;
  return Object.entries(NORM_NAMES).filter(([norm]) => choices.includes(norm)).map(([norm, label]) => ({ norm, label }));
}
