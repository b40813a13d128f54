// Typeset formulas: tex(name) inserts the markup KaTeX rendered at build time
// for the formula `name` of formulas.js (scripts/render-formulas.mjs writes
// formulas.generated.js; no KaTeX runs in the browser, only its CSS and fonts
// are loaded). This module serves the first view's formulas
// (FIRST_VIEW_FORMULAS); tex-later.js, with the same functions, those of the
// sections loaded after the first number (LATER_FORMULAS). A name that is
// not registered in the module's group throws: add it to formulas.js.
import { RENDERED, INLINE } from "./formulas.generated.js";
import { h } from "../dom.js";

// { formulaMarkup(name), tex(name, { after }) } over one group's rendered formulas.
export function texFrom(rendered, inline, group) {
  // The pre-rendered HTML + MathML of a registered formula.
  function formulaMarkup(name) {
    if (!Object.hasOwn(rendered, name)) {
      throw new Error(`tex: no formula named ${JSON.stringify(name)} in ${group} of web/js/stepper/formulas.js ` +
        "(add it there; if it is there, run scripts/build.sh to render it)");
    }
    return rendered[name];
  }

  // The formula as an element (div for display, span for inline ones), with
  // `after` (nodes or text: the numbers of this batch) set after it on its line.
  function tex(name, { after = null } = {}) {
    const isInline = inline.includes(name);
    const el = h(isInline ? "span" : "div", { class: isInline ? "tex" : "tex tex-display" });
    el.innerHTML = formulaMarkup(name);
    if (after !== null) el.append(h("span", { class: "tex-after" }, after));
    return el;
  }
  return { formulaMarkup, tex };
}

export const { formulaMarkup, tex } = texFrom(RENDERED, INLINE, "FIRST_VIEW_FORMULAS");
