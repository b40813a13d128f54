// Output arrays and options objects for forward / backward, as data (kinds
// drawn by fast-check) and made real at run time, each with the message a
// refusal must give when it is bad (docs/api.md, "Aliasing").
import fc from "fast-check";
import { makeOptions, mostly, OPTION_CONTAINERS } from "./values.mjs";

export const GOOD_OUTS = ["none", "none", "none", "own", "own", "alias-input", "resizable"];
export const BAD_OUTS = ["wrong-length", "wrong-type", "heap", "heap", "stale", "stale", "transferred", "same-as-previous", "overlap-previous"];
export const outKind = mostly(fc.constantFrom(...GOOD_OUTS), fc.constantFrom(...BAD_OUTS), 8);

// view: true comes without output arrays, but one time in 15 (clash).
export const optionsSpec = (names) => fc.record({
  outs: fc.tuple(...names.map(() => outKind)),
  view: mostly(fc.constantFrom(undefined, undefined, undefined, true, false), fc.constant("yes"), 20),
  clash: mostly(fc.constant(false), fc.constant(true), 15),
  container: mostly(fc.constantFrom(...OPTION_CONTAINERS, "absent", "absent", "absent"), fc.constantFrom("null", "number", "array"), 30),
  unknown: mostly(fc.constant(false), fc.constant(true), 25),
}).map((s) => (s.view === true && !s.clash ? { ...s, outs: s.outs.map(() => "none") } : s));

const isLiveView = (world, v) => v.buffer === world.bn.memory.buffer;
// The engine's own length of a typed array (a subclass may lie in its `length`).
const trueLength = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Float32Array.prototype), "length").get;
const stalePool = (world) => world.pool.filter((p) => p.view.length === 0);
const livePool = (world) => world.pool.filter((p) => p.view.length > 0 && isLiveView(world, p.view));
// Own memory with room behind it, so an output can be made to overlap it.
const own = (length) => new Float32Array(new ArrayBuffer(4 * (length + 64)), 0, length);

// One output `name` of `length` entries, of `kind`; previous: the output
// made before it ({ name, value, valid }); input: the call's array
// argument (name, value). Returns { value, defects: [RegExp], valid }.
function makeOutput(world, kind, name, length, previous, input, pick) {
  const detached = new RegExp(`^${name} is a view of the WebAssembly memory that was detached by memory growth`);
  const wrongLength = (got) => new RegExp(`^${name} must have ${length} entries, got ${got}`);
  switch (kind) {
    case "none": return { value: undefined, defects: [], valid: true };
    case "own": return { value: own(length), defects: [], valid: true };
    case "resizable": {
      const buffer = new ArrayBuffer(4 * length, { maxByteLength: 8 * length + 8 });
      return { value: new Float32Array(buffer, 0, length), defects: [], valid: true };
    }
    case "alias-input": {
      const x = input.value;
      if (!(x instanceof Float32Array) || trueLength.call(x) !== length || x.buffer.byteLength === 0) return { value: own(length), defects: [], valid: true };
      if (x.buffer === world.bn.memory.buffer) {
        return { value: x, defects: [new RegExp(`^${name} and ${input.name} share memory`), new RegExp(`^${name} is a view of the WebAssembly memory`)], valid: false };
      }
      return { value: x, defects: [], valid: true };   // in place in the caller's memory: correct
    }
    case "wrong-length": return { value: own(length + 1), defects: [wrongLength(length + 1)], valid: false };
    case "wrong-type": return { value: new Float64Array(length), defects: [new RegExp(`^${name} must be a Float32Array \\(an output array\\)`)], valid: false };
    case "transferred": {
      const value = new Float32Array(length);
      structuredClone(value.buffer, { transfer: [value.buffer] });
      return { value, defects: [new RegExp(`^${name} must have ${length} entries, got 0: its ArrayBuffer is detached`)], valid: false };
    }
    case "stale": {
      const pool = stalePool(world);
      if (pool.length === 0) return { value: own(length), defects: [], valid: true };
      return { value: pool[pick % pool.length].view, defects: [detached], valid: false };
    }
    case "heap": {
      const pool = livePool(world);
      if (pool.length === 0) return { value: own(length), defects: [], valid: true };
      const v = pool[pick % pool.length].view;
      const defects = v.length !== length ? [wrongLength(v.length)]
        : [new RegExp(`^${name} (and ${input.name} share memory|is a view of the WebAssembly memory)`)];
      return { value: v, defects, valid: false };
    }
    case "same-as-previous":
    case "overlap-previous": {
      const p = previous?.value;
      const room = p instanceof Float32Array && p.buffer.byteLength >= p.byteOffset + 4 * (length + 1);
      if (!p || !previous.valid || !room || p.buffer === world.bn.memory.buffer) return { value: own(length), defects: [], valid: true };
      const shift = Math.min(1, trueLength.call(p) - 1);   // inside p, so that the two overlap
      const value = kind === "same-as-previous" && trueLength.call(p) === length ? p : new Float32Array(p.buffer, p.byteOffset + 4 * shift, length);
      return { value, defects: [], valid: true };   // the overlap itself: overlapDefects()
    }
    default: throw new Error(`unknown output kind ${kind}`);
  }
}

// Outputs that share memory (found from the arrays themselves, whatever
// made them so: the same input aliased twice, a subarray of another).
function overlapDefects(made) {
  const range = (v) => [v.byteOffset, v.byteOffset + v.byteLength];
  const defects = [];
  for (let i = 0; i < made.length; i++) {
    for (let j = i + 1; j < made.length; j++) {
      const [a, b] = [made[i].value, made[j].value];
      if (!made[i].valid || !made[j].valid || !(a instanceof Float32Array) || !(b instanceof Float32Array) || a.buffer !== b.buffer) continue;
      const [a0, a1] = range(a), [b0, b1] = range(b);
      if (a0 < b1 && b0 < a1) defects.push(new RegExp(`^${made[i].name} and ${made[j].name} share memory`));
    }
  }
  return defects;
}

// The options object of `method` for spec, with the defects it brings.
// names / lengths: the output fields; input: { name, value }.
export function makeCallOptions(world, method, spec, names, lengths, input, pick) {
  const fields = {};
  const defects = [];
  let previous = null;
  const made = [];
  names.forEach((name, i) => {
    const o = makeOutput(world, spec.outs[i], name, lengths[i], previous, input, pick + i);
    if (o.value === undefined) return;
    fields[name] = o.value;
    defects.push(...o.defects);
    previous = { name, value: o.value, valid: o.valid };
    made.push(previous);
  });
  const given = made.length;
  defects.push(...overlapDefects(made));
  if (spec.view !== undefined) fields.view = spec.view;
  if (spec.view === "yes") defects.push(/^view must be true or false, got "yes"$/);
  if (spec.view === true && given > 0) defects.push(new RegExp(`^${method} options: view: true cannot be combined with output arrays$`));
  if (spec.unknown) {
    fields.outt = 1;
    defects.push(new RegExp(`^${method} options: unknown field "outt" \\(expected ${[...names, "view"].join(", ")}\\)$`));
  }
  const notObject = new RegExp(`^${method} options must be an object with any of`);
  switch (spec.container) {
    case "absent":
      if (Object.keys(fields).length === 0) return { value: undefined, fields, defects, reads: new Map(), keys: [] };
      break;
    case "null": return { value: null, fields: {}, defects: [notObject], reads: new Map(), keys: [] };
    case "number": return { value: 5, fields: {}, defects: [notObject], reads: new Map(), keys: [] };
    case "array": return { value: [], fields: {}, defects: [notObject], reads: new Map(), keys: [] };
    default: break;
  }
  return { ...makeOptions(spec.container === "absent" ? "plain" : spec.container, fields), fields, defects };
}
