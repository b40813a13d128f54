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
// bn.schema.X.options or .arguments).
export function checkValue(name, spec, value) {
  const { min = -Infinity, max = Infinity } = spec;
  switch (spec.type) {
    case "boolean": return checkBoolean(name, value);
    case "integer": return checkInteger(name, value, min, max);
    case "number": return checkFinite(name, value, { min, max, minExclusive: spec.minExclusive, nullable: spec.nullable });
    case "enum": return checkOneOf(name, value, spec.values);
    case "array": {
      if (!isList(value) || value.length < spec.minLength || value.length > spec.maxLength) {
        fail(`${name} must be an array of ${spec.minLength} to ${spec.maxLength} ${spec.itemLabel}, got ${describe(value)}`);
      }
      for (let i = 0; i < value.length; i++) checkValue(`${name}[${i}]`, spec.items, value[i]);
      return undefined;
    }
    default: return fail(`bn-wasm: unknown option type ${JSON.stringify(spec.type)} for ${name}`);
  }
}

// The options object `options` of `owner` ("Trainer", "BatchNorm1d") read
// once against `specs` (bn.schema.X.options): unknown keys and bad values
// throw, keys left out or undefined take the schema's default. Returns a
// fresh plain object with every option (arrays copied to plain arrays).
export function readOptions(owner, specs, options) {
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
  }
  const out = {};
  for (const [name, spec] of Object.entries(specs)) {
    const value = given[name];
    if (value === undefined) {
      out[name] = copy(spec.default);
    } else {
      checkValue(name, spec, value);
      out[name] = copy(value);
    }
  }
  return out;
}

const copy = (v) => (isList(v) ? Array.from(v) : v);

// { name: default } of a group of descriptors (arrays copied).
export function defaultsOf(specs) {
  return Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, copy(spec.default)]));
}

// An array of numbers: a typed array, or a plain array whose entries are all
// numbers. Checks the length when `length` is given; returns the length.
export function checkNumberArray(name, value, length) {
  const isTyped = ArrayBuffer.isView(value) && !(value instanceof DataView) &&
    !(value instanceof BigInt64Array) && !(value instanceof BigUint64Array);
  if (!isTyped && !Array.isArray(value)) {
    fail(`${name} must be a Float32Array or an array of numbers, got ${describe(value)}`);
  }
  if (!isTyped) {
    for (let i = 0; i < value.length; i++) {
      if (typeof value[i] !== "number") {
        fail(`${name} must be a Float32Array or an array of numbers; entry ${i} is ${describe(value[i])}`);
      }
    }
  }
  if (length !== undefined && value.length !== length) {
    fail(`${name} must have ${length} entries, got ${value.length}`);
  }
  return value.length;
}

// Non-finite entries, for arrays C++ does not check by itself.
export function checkAllFinite(name, value) {
  for (let i = 0; i < value.length; i++) {
    if (!Number.isFinite(value[i])) fail(`${name} must hold finite numbers; entry ${i} is ${value[i]}`);
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
