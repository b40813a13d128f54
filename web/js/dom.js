// The one DOM helper of both pages (the stepper and the trainer) and their
// widgets. h() writes no markup (no innerHTML): text is text, so nothing a
// URL or an attribute carries can become markup. (The one innerHTML of the
// pages is KaTeX's output, rendered at build time, for the stepper's own
// formulas: stepper/tex.js.)

// h("div", { class: "x", "aria-label": "y" }, child, "text", [more]) -> element.
// Attributes whose value is null, undefined or false are left out, true
// becomes an empty attribute; on* keys with a function become listeners.
// Children: nodes, strings, numbers or (nested) arrays of them; null,
// undefined and false are skipped.
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else element.append(child instanceof Node ? child : String(child));
  }
}

let counter = 0;
// An id unique on the page, also across two copies of this module (the
// widget bundle beside the page's own scripts): "prefix-7-k3x9q".
export function uniqueId(prefix) {
  counter += 1;
  return `${prefix}-${counter}-${Math.random().toString(36).slice(2, 7)}`;
}

// Saves `blob` as a file named `filename` (a hidden download link inside
// `parent`, clicked and removed; the object URL is freed later).
export function download(blob, filename, parent = document.body) {
  const url = URL.createObjectURL(blob);
  const a = h("a", { href: url, download: filename, hidden: true });
  parent.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// Sets a node's text only when it differs: a new text node makes the page
// lay out again, and a page as large as the trainer's pays for each one.
export function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}
