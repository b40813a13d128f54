// The trainer's state table: every setting, its type, default and range.
// The same table builds the controls, validates what a user typed, reads
// widget attributes and is written to / read from the URL hash, so every
// view is a link (the seed and the preset are part of the state).
//
// Each entry: key (state and URL name), label (the control's), kind
// (choice | number | integer | layers | boolean | momentum: a number or
// null, the cumulative average), default, the range of its kind
// (choices; min, max; for layers minLayers..maxLayers widths
// minWidth..maxWidth), and optionally attribute (the kebab-case <bn-trainer>
// attribute), aliases (older names still read), help, control: false (not
// a form control) and omitDefault (left out of the URL at its default).
// Ranges and choices can come from an outside schema: applySchema().
import { PRESET_CONFIGS } from "../presets-config.js";
import { presetById, presetPanels } from "./presets.js";

export const DEFAULT_WIDTH = 16;     // width of each layer when "Hidden layers" is a count

export const FIELDS = [
  { key: "lr", label: "Learning rate", kind: "number", min: 1e-4, max: 10, default: 0.1,
    help: "Step size of the optimizer (log slider up to 10)." },
  { key: "dataset", label: "Dataset", kind: "choice", choices: ["spiral", "moons", "circles", "xor", "gaussians"], default: "spiral" },
  { key: "activation", label: "Activation", kind: "choice", choices: ["relu", "tanh", "sigmoid"], default: "relu" },
  { key: "optimizer", label: "Optimizer", kind: "choice", choices: ["sgd", "momentum", "adam"], default: "sgd" },
  { key: "batchSize", label: "Batch size", kind: "integer", min: 1, max: 256, default: 32, attribute: "batch-size", aliases: ["batch"] },
  { key: "hidden", label: "Hidden layers", kind: "layers", minLayers: 1, maxLayers: 100, minWidth: 1, maxWidth: 256, default: [16, 16],
    help: `A layer count (${DEFAULT_WIDTH} units each), a count × width (6x32), or a comma list of widths, e.g. 32,16.` },
  { key: "norm", label: "Normalization", kind: "choice", choices: ["batch", "layer", "group", "none"], default: "batch",
    help: "The normalization of the left network (the right one has none): batch, layer or group norm, or none." },
  { key: "momentum", label: "Momentum", kind: "momentum", min: 0, max: 1, default: 0.1,
    help: "Running-statistics momentum of every batch norm (PyTorch's convention); null: the cumulative average." },
  { key: "residual", label: "Residual blocks", kind: "choice", choices: ["off", "on"], default: "off", omitDefault: true,
    help: "on: each block whose input and output widths match outputs x + f(x) (docs/api.md)." },
  { key: "normPlacement", label: "BN placement", kind: "choice", choices: ["before", "after"], default: "before",
    attribute: "norm-placement", omitDefault: true, help: "Batch norm before the activation (on Wx + b) or after it." },
  { key: "noise", label: "Noise", kind: "number", min: 0, max: 1, default: 0.1 },
  { key: "samples", label: "Samples", kind: "integer", min: 20, max: 2000, default: 400 },
  { key: "testFraction", label: "Test fraction", kind: "number", min: 0, max: 0.5, default: 0.2, attribute: "test-fraction",
    help: "Share of the samples held out as the test split." },
  { key: "init", label: "Initialization", kind: "choice", choices: ["auto", "kaiming", "xavier"], default: "auto",
    help: "Initial weights: auto is Kaiming for relu, Xavier otherwise." },
  { key: "seed", label: "Seed", kind: "integer", min: 0, max: 2 ** 31 - 1, default: 1 },
  { key: "layer", label: "Histogram layer", kind: "integer", min: 1, max: 100, default: 1,
    help: "Which hidden layer the histograms show, from 1 (clicking a layer in the depth view picks it too)." },
  { key: "stepsPerFrame", label: "Steps per frame", kind: "integer", min: 1, max: 100, default: 5,
    attribute: "steps-per-frame", aliases: ["speed"] },
  { key: "lab", label: "Depth lab", kind: "choice", choices: ["off", "on"], default: "off", control: false, omitDefault: true,
    help: "on: the depth lab's two parts are open (they are computed only while open)." },
  { key: "step", label: "Train to step", kind: "integer", min: 0, max: 1_000_000, default: 0, control: false, omitDefault: true,
    help: "On load, train both networks to this step and pause (the same seed gives the same state)." },
  { key: "preset", label: "Preset", kind: "choice", choices: ["", ...Object.keys(PRESET_CONFIGS)], default: "",
    control: false, omitDefault: true },
  // One of the preset's controls (its alternative pair of networks), or "".
  { key: "control", label: "Control", kind: "choice", default: "", control: false, omitDefault: true,
    choices: ["", ...new Set(Object.values(PRESET_CONFIGS).flatMap((p) => p.controls.map((c) => c.id)))] },
];

// The settings that make the networks (the rest choose what is shown, the seed apart).
const VIEW_KEYS = new Set(["seed", "layer", "stepsPerFrame", "step", "preset", "control"]);

const BY_KEY = new Map(FIELDS.map((f) => [f.key, f]));
const RANGE_PROPERTIES = ["min", "max", "choices", "default", "minLayers", "maxLayers", "minWidth", "maxWidth"];

// Merges an outside schema into the table, the one place ranges, choices
// and defaults can come from elsewhere: { batchSize: { min, max, default },
// dataset: { choices: [...] }, hidden: { maxLayers, maxWidth }, ... }. Only
// the range properties above are taken; keys not in the table are ignored.
export function applySchema(schema) {
  for (const [key, spec] of Object.entries(schema ?? {})) {
    const field = BY_KEY.get(key);
    if (!field) continue;
    for (const name of RANGE_PROPERTIES) {
      if (spec[name] !== undefined) field[name] = Array.isArray(spec[name]) ? [...spec[name]] : spec[name];
    }
  }
}

// The field a URL key, attribute or alias names (HTML lowercases attributes).
export function fieldByName(name) {
  const n = String(name).toLowerCase();
  return FIELDS.find((f) => f.key.toLowerCase() === n || f.attribute === n || f.aliases?.includes(n));
}

export const controlKeys = () => FIELDS.filter((f) => f.control !== false).map((f) => f.key);

export function defaultState() {
  return Object.fromEntries(FIELDS.map((f) => [f.key, structuredClone(f.default)]));
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
        : { error: `${field.label} must be one of ${field.choices.filter(Boolean).join(", ")}` };
    case "number":
    case "integer": {
      const value = raw === "" ? NaN : Number(raw);
      const integer = field.kind === "integer";
      if (!Number.isFinite(value) || (integer && !Number.isInteger(value)) ||
          value < field.min || value > field.max) {
        return { error: `${field.label} must be ${integer ? "a whole number" : "a number"} from ${field.min} to ${field.max}` };
      }
      return { value };
    }
    case "layers":
      return parseLayers(raw, field);
    case "boolean":
      return raw === "true" || raw === "false" ? { value: raw === "true" } : { error: `${field.label} must be true or false` };
    case "momentum": {
      if (raw === "null") return { value: null };
      const value = raw === "" ? NaN : Number(raw);
      return Number.isFinite(value) && value >= field.min && value <= field.max ? { value }
        : { error: `${field.label} must be a number from ${field.min} to ${field.max}, or null (the cumulative average)` };
    }
    default:
      return { error: `unknown kind ${field.kind}` };
  }
}

// "3" -> [16, 16, 16]; "32,16" -> [32, 16]; "50x32" (or 50×32) -> fifty
// layers of 32, within the field's layer and width range.
export function parseLayers(raw, field = BY_KEY.get("hidden")) {
  const { label, minLayers, maxLayers, minWidth, maxWidth } = field;
  const problem = { error: `${label} must be a layer count ${minLayers}–${maxLayers}, a count × width like 6x32, or a ` +
    `comma list of ${minLayers}–${maxLayers} widths from ${minWidth} to ${maxWidth}` };
  const widthOk = (w) => w >= minWidth && w <= maxWidth;
  const countOk = (n) => n >= minLayers && n <= maxLayers;
  const repeated = /^(\d+)\s*[x×]\s*(\d+)$/i.exec(raw);
  if (repeated) {
    const [count, width] = [Number(repeated[1]), Number(repeated[2])];
    return countOk(count) && widthOk(width) ? { value: new Array(count).fill(width) } : problem;
  }
  if (!/^\d+(\s*,\s*\d+)*$/.test(raw)) return problem;
  const numbers = raw.split(",").map((s) => Number(s.trim()));
  if (numbers.length === 1 && !raw.includes(",")) {
    return countOk(numbers[0]) ? { value: new Array(numbers[0]).fill(DEFAULT_WIDTH) } : problem;
  }
  if (!countOk(numbers.length) || !numbers.every(widthOk)) return problem;
  return { value: numbers };
}

// More than this many layers of one width are written "NxW" (in the URL and
// the box), fewer as a comma list.
const REPEAT_FORM_FROM = 9;

export function formatField(key, value) {
  if (BY_KEY.get(key).kind !== "layers") return String(value);   // null momentum: "null"
  const uniform = value.length >= REPEAT_FORM_FROM && value.every((w) => w === value[0]);
  return uniform ? `${value.length}x${value[0]}` : value.join(",");
}

// Keeps the histogram layer inside the network.
export function clampLayer(state) {
  return { ...state, layer: Math.min(state.layer, state.hidden.length) };
}

// A preset's full state (or that of one of its controls): the defaults (or
// `base`) with the settings of its left network ("bn" in the config); the
// panels train presetPanels() (panelOptions below), the config's networks.
export function presetState(id, base = defaultState(), control = "") {
  const preset = PRESET_CONFIGS[id];
  if (!preset) return null;
  const known = preset.controls.some((c) => c.id === control) ? control : "";
  const { seed, ...left } = presetPanels(id, known, base.seed).bn;
  const settings = Object.fromEntries(Object.entries(left).filter(([key]) => BY_KEY.has(key)));
  if ("residual" in settings) settings.residual = settings.residual ? "on" : "off";   // the field's choices
  // What the preset leaves out is the default (the Trainer's), not base's.
  const defaults = Object.fromEntries(FIELDS.filter((f) => !VIEW_KEYS.has(f.key)).map((f) => [f.key, structuredClone(f.default)]));
  const speed = presetById(id).stepsPerFrame;
  return { ...base, ...defaults, ...settings, ...(speed ? { stepsPerFrame: Math.max(speed, base.stepsPerFrame) } : {}),
    preset: id, control: known };
}

// The options of each panel's bn.Trainer: a preset's own networks, or the
// settings with the left network normalized by `norm` and the right one not.
export function panelOptions(state) {
  if (state.preset && PRESET_CONFIGS[state.preset]) return presetPanels(state.preset, state.control, state.seed);
  const shared = trainerOptions(state);
  return { bn: shared, plain: { ...shared, norm: "none" } };
}

// A state whose network settings differ from its preset's is no longer the preset.
function keepPresetIfSame(state) {
  if (!state.preset) return { ...state, control: "" };
  const own = presetState(state.preset, state, state.control);
  const same = FIELDS.every((f) => VIEW_KEYS.has(f.key) || JSON.stringify(own[f.key]) === JSON.stringify(state[f.key]));
  return same ? { ...state, control: own.control } : { ...state, preset: "", control: "" };
}

// Reads [name, text] pairs (a URL hash or widget attributes), each name a
// key, an attribute or an alias. A valid preset is read first and its
// settings are the base the other entries override. Unknown names and bad
// values are skipped, so an old or hand-edited link still opens.
export function stateFromEntries(entries, base = defaultState()) {
  const parsed = [];
  for (const [name, text] of entries) {
    const field = fieldByName(name);
    if (!field) continue;
    const result = parseField(field.key, text);
    if (!("error" in result)) parsed.push([field.key, result.value]);
  }
  const preset = parsed.findLast(([key]) => key === "preset")?.[1];
  const control = parsed.findLast(([key]) => key === "control")?.[1] ?? "";
  const seed = parsed.findLast(([key]) => key === "seed")?.[1] ?? base.seed;
  const state = (preset && presetState(preset, { ...base, seed }, control)) || { ...base };
  for (const [key, value] of parsed) state[key] = value;
  return clampLayer(keepPresetIfSame(state));
}

export function stateFromHash(hash) {
  return stateFromEntries(new URLSearchParams(String(hash).replace(/^#/, "")).entries());
}

export function stateToHash(state) {
  const params = new URLSearchParams();
  for (const field of FIELDS) {
    const text = formatField(field.key, state[field.key]);
    if (!(field.omitDefault && text === formatField(field.key, field.default))) params.set(field.key, text);
  }
  return `#${params}`;
}

// The options of bn.Trainer (docs/api.md) for a state's settings (the left panel's).
export function trainerOptions(state) {
  const { dataset, samples, noise, hidden, activation, optimizer, lr, batchSize, seed, init, testFraction,
    norm, momentum, normPlacement } = state;
  return { dataset, samples, noise, hidden: [...hidden], activation, optimizer, lr, batchSize, seed, init, testFraction,
    norm, momentum, normPlacement, residual: state.residual === "on" };
}
