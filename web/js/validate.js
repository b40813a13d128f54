// Argument checks shared by the JS API wrappers. Each throws an Error whose
// message names the parameter and says what was expected.

export function fail(message) {
  throw new Error(message);
}

export function checkInteger(name, value, min, max = Infinity) {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Infinity ? `>= ${min}` : `in [${min}, ${max}]`;
    fail(`${name} must be an integer ${range}, got ${describe(value)}`);
  }
}

export function checkFinite(name, value, { min = -Infinity, max = Infinity, minExclusive = false } = {}) {
  if (typeof value !== "number" || !Number.isFinite(value) || value > max ||
      (minExclusive ? value <= min : value < min)) {
    const lower = min === -Infinity ? "" : minExclusive ? ` > ${min}` : ` >= ${min}`;
    const upper = max === Infinity ? "" : ` and <= ${max}`;
    fail(`${name} must be a finite number${lower}${upper}, got ${describe(value)}`);
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

export function describe(value) {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? value.slice(0, 40) + "…" : value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} of length ${value.length}`;
  return `a ${typeof value}`;
}
