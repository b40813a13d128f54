// Printing the stepper: just before the browser prints (beforeprint), every
// step of the forward pass and, when dy can be computed, of the backward
// pass is rendered with this batch's numbers into a section that only the
// print stylesheet shows (styles.js, @media print: no buttons, no inputs'
// chrome); afterprint empties it again, so the page keeps one copy of each
// number on screen.
import { h } from "../dom.js";
import { FORWARD } from "./steps-forward.js";
import { BACKWARD } from "./steps-backward.js";

const resolve = (v, view) => (typeof v === "function" ? v(view) : v);

// The sections for a computed view: [{ title, nodes }] as elements.
export function printSections(view, inputs) {
  const steps = [...FORWARD.map((s) => ["Forward", s]), ...(view.dy ? BACKWARD.map((s) => ["Backward", s]) : [])];
  let n = 0, phase = "";
  return steps.map(([name, step]) => {
    if (name !== phase) { phase = name; n = 0; }
    n += 1;
    return h("section", { class: "print-step" }, h("h3", {}, `${name} ${n}. ${resolve(step.title, view)}`),
      ...[].concat(step.render(view)).filter(Boolean));
  }).concat(inputs && !inputs.backwardOk ? [h("p", {}, "The backward pass needs every dy / target cell to be a number.")] : []);
}

// current() gives { view, inputs, failure } of the stepper now.
export function wirePrint(ui, current) {
  const before = () => {
    const { view, inputs, failure } = current() ?? {};
    ui.printSteps.replaceChildren(...(view && !view.error && !failure
      ? [h("h2", {}, "Every step, with this batch's numbers"), ...printSections(view, inputs)]
      : [h("p", {}, "Nothing is computed for this input: fix the marked cells first.")]));
  };
  const after = () => ui.printSteps.replaceChildren();
  window.addEventListener("beforeprint", before);
  window.addEventListener("afterprint", after);
  return () => {
    window.removeEventListener("beforeprint", before);
    window.removeEventListener("afterprint", after);
  };
}
