// How the stepper shows a number, in one place: computed numbers (fmt, num:
// a fixed number of significant digits, the full value in data-value as
// docs/page-hooks.md requires), values given by the user (given: as typed,
// or as float32 stores them), float leftovers where the exact answer is 0
// ("≈ 0 (float32 rounding)"), and math symbols in running text (sym).
import { h } from "../dom.js";
import { storedText } from "./float32.js";

export const DIGITS = 5;                  // significant digits of every computed number

const minus = (text) => text.replace(/-/g, "−");

// Display text of a computed number: `digits` significant digits, trailing
// zeros kept (0.53190, 2.5000), exponent form below 1e−4 and from 10^digits
// up (1.2346e5), a real minus sign. The exact value stays in data-value.
export function fmt(value, { digits = DIGITS } = {}) {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "∞";
  if (value === -Infinity) return "−∞";
  if (value === 0) return "0";
  const abs = Math.abs(value);
  if (abs >= 10 ** digits || abs < 1e-4) {
    const [mantissa, exponent] = value.toExponential(digits - 1).split("e");
    return minus(`${mantissa}e${Number(exponent)}`);
  }
  return minus(value.toPrecision(digits));
}

// A number as a person writes it (typed values, counts, exact constants):
// the shortest form, at most 12 significant digits (1 − 0.75 − 0.24 is
// 0.010000000000000009 in binary: shown 0.01), exponent as "1e−7".
export function plain(value) {
  const v = Number(Number(value).toPrecision(12));
  return minus(String(v).replace("e+", "e"));
}

// True when `value` is a float leftover where the exact answer is 0: within
// `ulps` float32 roundings (2⁻²⁴ each, relative) of `of`, the size of the
// terms it was computed from, and (when `scale` is given) under 1e−3 of the
// quantity's usual size, so that a difference float32 storage really made
// (x ≈ 1e5, where x − μ = 0.0026 is what the layer works with) stays a
// number.
export function isLeftover(value, { of, ulps = 4, scale } = {}) {
  const v = Math.abs(value);
  return value !== 0 && v <= ulps * 2 ** -24 * Math.abs(of) && (scale === undefined || v <= 1e-3 * Math.abs(scale));
}

// Digits enough to show how far a value just under 1 is from 1 (two
// significant digits of 1 − v: 1 − 2.9e−6 with 8 digits rather than 1.0000), or
// undefined (the default 5) when 5 show it already.
export function digitsNearOne(v) {
  const gap = 1 - Math.abs(v);
  return gap > 0 && gap < 1e-3 ? Math.min(12, Math.ceil(-Math.log10(gap)) + 2) : undefined;
}

// A computed number. `quantity` goes to data-quantity (or data-before for a
// running value before an update, or any other data-* name via `attr`).
// `at`: more data-* attributes locating it ({ sample: 1, channel: 2 } ->
// data-sample="1" data-channel="2"). `digits`: significant digits (default DIGITS). `zero`: { of, ulps, scale }
// of isLeftover, where the exact answer is 0 when nothing is rounded; a
// leftover shows "≈ 0 (float32 rounding)" (in a term of a longer formula,
// `short`, just "≈ 0").
export function num(value, { quantity, feature, row, at, before = false, attr, paren = false, digits, zero, short = false } = {}) {
  const v = Number(value);
  const attrs = { class: "num", "data-value": String(v) };
  if (quantity) attrs[before ? "data-before" : attr ?? "data-quantity"] = quantity;
  if (feature !== undefined) attrs["data-feature"] = feature;
  if (row !== undefined) attrs["data-row"] = row;
  for (const [name, v] of Object.entries(at ?? {})) if (v !== undefined) attrs[`data-${name}`] = v;
  if (zero !== undefined && isLeftover(v, zero)) {
    attrs.class = "num leftover";
    attrs.title = `${fmt(v)}: float32 rounding of an exact 0`;
    return h("span", attrs, short ? (paren ? "(≈ 0)" : "≈ 0") : ["≈ 0", h("span", { class: "why-zero" }, " (float32 rounding)")]);
  }
  const text = fmt(v, { digits });
  // Negative numbers inside a formula get parentheses, as one writes by hand.
  return h("span", attrs, paren && v < 0 ? `(${text})` : text);
}

// A value given by the user (not computed), with no data-quantity. `stored`:
// the core keeps it as float32, so show the float32 value (float32.js).
export function given(value, { paren = false, stored = false } = {}) {
  const v = Number(value);
  const text = stored ? minus(storedText(v).replace("e+", "e")) : plain(v);
  return h("span", { class: "given" }, paren && v < 0 ? `(${text})` : text);
}

// Math symbols in running text: italic serif variables with sub/superscripts.
export function sym(text, sub, sup) {
  return h("span", { class: "sym" }, text, sub !== undefined ? h("sub", {}, sub) : null,
    sup !== undefined ? h("sup", {}, sup) : null);
}
