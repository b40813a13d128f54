// Typeset formulas: tex(name) inserts the markup KaTeX rendered at build time
// for the formula `name` of formulas.js (scripts/render-formulas.mjs writes
// formulas.generated.js; no KaTeX runs in the browser, only its CSS and fonts
// are loaded). A name that is not registered throws: add it to formulas.js.
import { RENDERED, INLINE } from "./formulas.generated.js";
import { h } from "../dom.js";

// The pre-rendered HTML + MathML of a registered formula.
export function formulaMarkup(name) {
  if (!Object.hasOwn(RENDERED, name)) {
    throw new Error(`tex: no formula named ${JSON.stringify(name)} in web/js/stepper/formulas.js ` +
      "(add it there; if it is there, run scripts/build.sh to render it)");
  }
  return RENDERED[name];
}

// The formula as an element (div for display, span for inline ones), with
// `after` (nodes or text: the numbers of this batch) set after it on its line.
export function tex(name, { after = null } = {}) {
  const inline = INLINE.includes(name);
  const el = h(inline ? "span" : "div", { class: inline ? "tex" : "tex tex-display" });
  el.innerHTML = formulaMarkup(name);
  if (after !== null) el.append(h("span", { class: "tex-after" }, after));
  return el;
}
