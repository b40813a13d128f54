// The trainer's state table: every control, its type, default and range.
// The same table builds the controls, validates what a user typed, reads
// widget attributes and is written to / read from the URL hash, so every
// view is a link (the seed is part of the state).
export const DATASETS = ["spiral", "moons", "circles", "xor", "gaussians"];
export const ACTIVATIONS = ["relu", "tanh", "sigmoid"];
export const OPTIMIZERS = ["sgd", "momentum", "adam"];
export const DEFAULT_WIDTH = 16;     // width of each layer when "Hidden layers" is a count

export const FIELDS = [
  { key: "lr", label: "Learning rate", kind: "number", min: 1e-4, max: 10, default: 0.1,
    help: "Step size of the optimizer (log slider up to 10)." },
  { key: "dataset", label: "Dataset", kind: "choice", choices: DATASETS, default: "spiral" },
  { key: "activation", label: "Activation", kind: "choice", choices: ACTIVATIONS, default: "relu" },
  { key: "optimizer", label: "Optimizer", kind: "choice", choices: OPTIMIZERS, default: "sgd" },
  { key: "batchSize", label: "Batch size", kind: "integer", min: 2, max: 256, default: 32, attribute: "batch-size" },
  { key: "hidden", label: "Hidden layers", kind: "layers", default: [16, 16],
    help: "A layer count (16 units each) or a comma list of widths, e.g. 32,16." },
  { key: "noise", label: "Noise", kind: "number", min: 0, max: 1, default: 0.1 },
  { key: "samples", label: "Samples", kind: "integer", min: 20, max: 2000, default: 400 },
  { key: "seed", label: "Seed", kind: "integer", min: 0, max: 2 ** 31 - 1, default: 1 },
  { key: "layer", label: "Histogram layer", kind: "integer", min: 1, max: 8, default: 1 },
  { key: "speed", label: "Steps per frame", kind: "integer", min: 1, max: 100, default: 5 },
];

const BY_KEY = new Map(FIELDS.map((f) => [f.key, f]));

export function defaultState() {
  return Object.fromEntries(FIELDS.map((f) => [f.key, f.kind === "layers" ? [...f.default] : f.default]));
}

// Parses the text of one field. Returns { value } or { error } where the
// error is a sentence naming the control.
export function parseField(key, text) {
  const field = BY_KEY.get(key);
  if (!field) return { error: `unknown setting ${JSON.stringify(key)}` };
  const raw = String(text).trim();
  switch (field.kind) {
    case "choice":
      return field.choices.includes(raw)
        ? { value: raw }
        : { error: `${field.label} must be one of ${field.choices.join(", ")}` };
    case "number":
    case "integer": {
      const value = raw === "" ? NaN : Number(raw);
      const integer = field.kind === "integer";
      if (!Number.isFinite(value) || (integer && !Number.isInteger(value)) ||
          value < field.min || value > field.max || (field.key === "lr" && value <= 0)) {
        return { error: `${field.label} must be ${integer ? "a whole number" : "a number"} from ${field.min} to ${field.max}` };
      }
      return { value };
    }
    case "layers":
      return parseLayers(raw, field.label);
    default:
      return { error: `unknown kind ${field.kind}` };
  }
}

// "3" -> [16, 16, 16]; "32,16" -> [32, 16]. 1..8 layers, widths 1..256.
export function parseLayers(raw, label = "Hidden layers") {
  const problem = { error: `${label} must be a layer count 1–8 or a comma list of 1–8 widths from 1 to 256` };
  if (!/^\d+(\s*,\s*\d+)*$/.test(raw)) return problem;
  const numbers = raw.split(",").map((s) => Number(s.trim()));
  if (numbers.length === 1 && !raw.includes(",")) {
    const count = numbers[0];
    return count >= 1 && count <= 8 ? { value: new Array(count).fill(DEFAULT_WIDTH) } : problem;
  }
  if (numbers.length > 8 || numbers.some((w) => w < 1 || w > 256)) return problem;
  return { value: numbers };
}

export function formatField(key, value) {
  return BY_KEY.get(key).kind === "layers" ? value.join(",") : String(value);
}

// Keeps the histogram layer inside the network.
export function clampLayer(state) {
  return { ...state, layer: Math.min(state.layer, state.hidden.length) };
}

// Reads "key=value&..." (a URL hash or widget attributes). Unknown keys and
// bad values are skipped, so an old or hand-edited link still opens.
export function stateFromEntries(entries, base = defaultState()) {
  const state = { ...base };
  for (const [name, text] of entries) {
    const field = FIELDS.find((f) => f.key === name || f.attribute === name);
    if (!field) continue;
    const parsed = parseField(field.key, text);
    if (!("error" in parsed)) state[field.key] = parsed.value;
  }
  return clampLayer(state);
}

export function stateFromHash(hash) {
  return stateFromEntries(new URLSearchParams(hash.replace(/^#/, "")).entries());
}

export function stateToHash(state, extra = {}) {
  const params = new URLSearchParams();
  for (const field of FIELDS) params.set(field.key, formatField(field.key, state[field.key]));
  for (const [key, value] of Object.entries(extra)) if (value) params.set(key, value);
  return `#${params}`;
}

// The options of bn.Trainer (API.md) for a state; batchNorm is set per panel.
export function trainerOptions(state) {
  const { dataset, samples, noise, hidden, activation, optimizer, lr, batchSize, seed } = state;
  return { dataset, samples, noise, hidden: [...hidden], activation, optimizer, lr, batchSize, seed };
}
