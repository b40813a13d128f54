// Argument checks shared by the JS API wrappers. Each throws an Error whose
// message names the parameter and says what was expected.
//
// checkValue / readOptions apply a descriptor of the core's option schema
// (bn.schema, docs/api.md "Option schema") with the rules and the messages
// of cpp/src/option_check.cpp, word for word: a bad option gets the same
// Error from this wrapper and from the C++ core.

export function fail(message) {
  throw new Error(message);
}

// " in [a, b]", " >= a", " <= b" or "" (option_check.cpp: integer_range).
function integerRange(min = -Infinity, max = Infinity) {
  if (min !== -Infinity && max !== Infinity) return ` in [${min}, ${max}]`;
  if (min !== -Infinity) return ` >= ${min}`;
  if (max !== Infinity) return ` <= ${max}`;
  return "";
}

// " > a", " >= a and <= b", " <= b" or "" (option_check.cpp: number_bounds).
function numberBounds(min, max, minExclusive) {
  const lower = min === -Infinity ? "" : `${minExclusive ? " >" : " >="} ${min}`;
  const upper = max === Infinity ? "" : ` <= ${max}`;
  return lower + (lower && upper ? " and" : "") + upper;
}

export function checkInteger(name, value, min = -Infinity, max = Infinity) {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    fail(`${name} must be an integer${integerRange(min, max)}, got ${describe(value)}`);
  }
}

export function checkFinite(name, value, { min = -Infinity, max = Infinity, minExclusive = false, nullable = false } = {}) {
  if (nullable && value === null) return;
  if (typeof value !== "number" || !Number.isFinite(value) || value > max ||
      (minExclusive ? value <= min : value < min)) {
    fail(`${name} must be a finite number${numberBounds(min, max, minExclusive)}${nullable ? ", or null" : ""}, got ${describe(value)}`);
  }
}

export function checkBoolean(name, value) {
  if (typeof value !== "boolean") fail(`${name} must be true or false, got ${describe(value)}`);
}

export function checkOneOf(name, value, allowed) {
  if (!allowed.includes(value)) {
    fail(`${name} must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}, got ${describe(value)}`);
  }
}

const isList = (v) => Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));

// Checks `value` against the schema descriptor `spec` (one entry of
// bn.schema.X.options or .arguments) and returns it; an array is read once
// (its length, then each entry) into a fresh plain array, which is what is
// checked and returned.
export function checkValue(name, spec, value) {
  const { min = -Infinity, max = Infinity } = spec;
  switch (spec.type) {
    case "boolean": checkBoolean(name, value); return value;
    case "integer": checkInteger(name, value, min, max); return value;
    case "number": checkFinite(name, value, { min, max, minExclusive: spec.minExclusive, nullable: spec.nullable }); return value;
    case "enum": checkOneOf(name, value, spec.values); return value;
    case "array": {
      const items = isList(value) ? copyList(value) : null;
      if (!items || items.length < spec.minLength || items.length > spec.maxLength) {
        fail(`${name} must be an array of ${spec.minLength} to ${spec.maxLength} ${spec.itemLabel}, got ${describe(value)}`);
      }
      for (let i = 0; i < items.length; i++) checkValue(`${name}[${i}]`, spec.items, items[i]);
      return items;
    }
    default: return fail(`bn-wasm: unknown option type ${JSON.stringify(spec.type)} for ${name}`);
  }
}

// A plain array of the entries of an array or typed array, read once each.
function copyList(value) {
  const length = value.length;
  const out = new Array(length);
  for (let i = 0; i < length; i++) out[i] = value[i];
  return out;
}

// The options object `options` of `owner` ("Trainer", "BatchNorm1d") read
// once against `specs` (bn.schema.X.options): unknown keys and bad values
// throw, keys left out or undefined take the schema's default. Every value
// is read exactly once (a getter or a Proxy trap runs once; an array is
// copied before it is checked). Returns a fresh plain object with every
// option (arrays as plain arrays).
// givenKeys (optional): a Set that receives the names the caller gave, so
// rules that depend on what was given need not read the options again.
export function readOptions(owner, specs, options, givenKeys = null) {
  if (options === undefined) options = {};
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    fail(`${owner} options must be an object, got ${describe(options)}`);
  }
  const given = {};
  for (const key of Object.keys(options)) {
    if (!Object.hasOwn(specs, key)) {
      fail(`unknown ${owner} option ${JSON.stringify(key)} (expected ${Object.keys(specs).join(", ")})`);
    }
    given[key] = options[key];   // read once
    if (givenKeys && given[key] !== undefined) givenKeys.add(key);
  }
  const out = {};
  for (const [name, spec] of Object.entries(specs)) {
    const value = given[name];
    out[name] = value === undefined ? copy(spec.default) : checkValue(name, spec, value);
  }
  return out;
}

const copy = (v) => (isList(v) ? Array.from(v) : v);

// { name: default } of a group of descriptors (arrays copied).
export function defaultsOf(specs) {
  return Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, copy(spec.default)]));
}

// Entries that are not finite as float32 (1e39 is Infinity there) or, with
// nonNegative, negative (value: an array of `length` entries, indexed only).
export function checkAllFinite(name, value, length, nonNegative = false) {
  for (let i = 0; i < length; i++) {
    const v = Math.fround(value[i]);
    if (!Number.isFinite(v)) fail(`${name} must hold finite numbers; entry ${i} is ${value[i]}${Number.isFinite(value[i]) ? " (Infinity as float32)" : ""}`);
    if (nonNegative && v < 0) fail(`${name} must be >= 0; entry ${i} is ${value[i]}`);
  }
}

// How a message shows a value (option_check.cpp: describe).
export function describe(value) {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? value.slice(0, 40) + "…" : value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} of length ${value.length}`;
  return `a ${typeof value}`;
}
