// Typeset formulas with the KaTeX copy vendored in web/vendor/katex (never a
// CDN). Rendered markup is cached per source: the stepper re-renders often.
import katex from "../../vendor/katex/katex.mjs";
import { h } from "../dom.js";

const cache = new Map();

export function tex(source, { display = true } = {}) {
  const key = `${display ? "D" : "I"}${source}`;
  if (!cache.has(key)) {
    // Display formulas are set in inline mode with \displaystyle, so that a long
    // one wraps at its relations on a phone instead of scrolling sideways.
    cache.set(key, katex.renderToString(display ? `\\displaystyle ${source}` : source,
      { displayMode: false, throwOnError: false, output: "htmlAndMathml" }));
  }
  const el = h(display ? "div" : "span", { class: display ? "tex tex-display" : "tex" });
  el.innerHTML = cache.get(key);
  return el;
}
