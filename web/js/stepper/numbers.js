// How the stepper shows a number: the one display format (fmt), a computed
// number with its data attributes (num: rounded text, full value in
// data-value, as docs/page-hooks.md requires), a typed input value (given)
// and math symbols in running text (sym).
import { h } from "../dom.js";

// Display text for a number: 5 significant digits, exponent form outside
// [1e-4, 1e5), a real minus sign. The exact value stays in data-value.
export function fmt(value) {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "∞";
  if (value === -Infinity) return "−∞";
  if (value === 0) return "0";
  const abs = Math.abs(value);
  let text;
  if (abs >= 1e5 || abs < 1e-4) {
    const [mantissa, exponent] = value.toExponential(3).split("e");
    text = `${trimZeros(mantissa)}e${Number(exponent)}`;
  } else {
    text = trimZeros(value.toPrecision(5));
  }
  return text.replace(/-/g, "−");
}

function trimZeros(s) {
  return s.includes(".") ? s.replace(/\.?0+$/, "") : s;
}

// A computed number. `quantity` goes to data-quantity (or data-before for a
// running value before an update, or any other data-* name via `attr`).
export function num(value, { quantity, feature, row, before = false, attr, paren = false } = {}) {
  const v = Number(value);
  const attrs = { class: "num", "data-value": String(v) };
  if (quantity) attrs[before ? "data-before" : attr ?? "data-quantity"] = quantity;
  if (feature !== undefined) attrs["data-feature"] = feature;
  if (row !== undefined) attrs["data-row"] = row;
  const text = fmt(v);
  // Negative numbers inside a formula get parentheses, as one writes by hand.
  return h("span", attrs, paren && v < 0 ? `(${text})` : text);
}

// An input value typed by the user (not computed): no data-quantity.
export function given(value, { paren = false } = {}) {
  const text = fmt(Number(value));
  return h("span", { class: "given" }, paren && value < 0 ? `(${text})` : text);
}

// Math symbols in running text: italic serif variables with sub/superscripts.
export function sym(text, sub, sup) {
  return h("span", { class: "sym" }, text, sub !== undefined ? h("sub", {}, sub) : null,
    sup !== undefined ? h("sup", {}, sup) : null);
}
