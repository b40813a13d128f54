// The "Step through" card: progress line, buttons' enabled state, the
// current step's formulas with this batch's numbers (steps-forward.js /
// steps-backward.js), notes on the input, "Earlier steps", and the gradient
// check on the last backward step. createStepsView(ui, root) returns
// { show(current, { measure }), showEarlier({ measure }), measure(),
// useBackward({ BACKWARD, gradientCheckView }), destroy() } where current is
// { state, view, inputs, failure } (failure: the core's message when the
// view could not be computed). The backward pass's steps come with the
// sections loaded after the first view (extras.js, through useBackward);
// until then a backward step says it is loading.
import { h } from "../dom.js";
import { FORWARD } from "./steps-forward.js";
import { BACKWARD_STEPS } from "./state.js";
import { describeKey } from "./inputs.js";
import { fmt } from "./numbers.js";
import { evalLagNote, float32Pointer } from "./explain.js";
import { atFirstStep, atLastStep } from "./transitions.js";

const resolve = (v, view) => (typeof v === "function" ? v(view) : v);
const rendered = (step, view) => [].concat(step.render(view)).filter(Boolean);
const LOADING_STEP = { title: "Backward pass", uses: [], render: () => h("p", { class: "status", role: "status" }, "Loading the backward pass…") };

export function createStepsView(ui, root) {
  let current = null;
  const earlierCache = new Map();     // step definition → its section, for one computed view
  let cachedView = null;
  let backward = null;                // { BACKWARD, gradientCheckView }, once loaded
  const backwardSteps = () => backward?.BACKWARD ?? Array(BACKWARD_STEPS).fill(LOADING_STEP);

  // measure: false leaves marking the wide formulas (it lays the page out)
  // to a later measure() call, as for the first view (mount.js).
  function show(next, { measure = true } = {}) {
    current = next;
    const { state, view, inputs, failure } = current;
    if (view !== cachedView) { earlierCache.clear(); cachedView = view; }
    const steps = state.phase === "forward" ? FORWARD : backwardSteps();
    const step = steps[state.step];
    ui.trainButton.setAttribute("aria-pressed", String(state.mode === "train"));
    ui.evalButton.setAttribute("aria-pressed", String(state.mode === "eval"));
    ui.earlier.open = state.earlier;
    setDisabled(ui.prevButton, atFirstStep(state), ui.nextButton);
    setDisabled(ui.nextButton, atLastStep(state), state.phase === "forward" ? ui.backwardButton : ui.prevButton);
    ui.nextButton.classList.toggle("primary", !atLastStep(state));
    ui.backwardButton.classList.toggle("primary", state.phase === "forward" && atLastStep(state));
    const title = resolve(step.title, view ?? { mode: state.mode });
    ui.progress.replaceChildren(`${state.phase === "forward" ? "Forward" : "Backward"} pass · ${state.mode} mode · step ${state.step + 1} of ${steps.length}`,
      h("span", { class: "sr-only" }, `: ${title}`));
    highlight(view || inputs.forwardOk ? resolve(step.uses, view ?? { mode: state.mode }) : []);
    ui.checkArea.replaceChildren();
    ui.notes.replaceChildren(...notes(state, view, inputs).filter(Boolean));
    const problem = problemOf(current);
    if (problem) {
      ui.panel.replaceChildren(h("h3", {}, title), ...problem);
      ui.earlier.hidden = true;
      return;
    }
    ui.panel.replaceChildren(h("h3", {}, title), ...rendered(step, view));
    if (backward && state.phase === "backward" && atLastStep(state)) ui.checkArea.replaceChildren(...backward.gradientCheckView(view, inputs));
    showEarlier({ measure });
  }

  function showEarlier({ measure = true } = {}) {
    const { state, view } = current;
    const before = state.phase === "forward" ? FORWARD.slice(0, state.step) : [...FORWARD, ...(backward?.BACKWARD.slice(0, state.step) ?? [])];
    ui.earlier.hidden = before.length === 0;
    if (!ui.earlier.open || !view || problemOf(current)) {
      ui.earlierBody.replaceChildren();
      if (measure) markWideFormulas();
      return;
    }
    // Stepping does not change the numbers: earlier steps are rendered once per computed view and reused.
    ui.earlierBody.replaceChildren(...before.map((step) => {
      if (!earlierCache.has(step)) {
        earlierCache.set(step, h("section", { class: "earlier-step" }, h("h3", {}, resolve(step.title, view)), ...rendered(step, view)));
      }
      return earlierCache.get(step);
    }));
    if (measure) markWideFormulas();
  }

  function highlight(uses) {
    const on = new Set(uses);
    for (const input of ui.container.querySelectorAll("input.cell, input[data-key=eps], input[data-key=momentum]")) {
      input.classList.toggle("in-use", on.has(input.dataset.grid ?? input.dataset.param ?? input.dataset.key));
    }
  }

  // A formula still wider than its box (a long sum on a phone) scrolls
  // sideways; make that box reachable by keyboard and named.
  function markWideFormulas() {
    for (const el of ui.container.querySelectorAll(".tex-display")) {
      const wide = el.scrollWidth > el.clientWidth + 1;
      if (wide === el.hasAttribute("tabindex")) continue;
      if (wide) {
        el.setAttribute("tabindex", "0");
        el.setAttribute("role", "region");
        el.setAttribute("aria-label", "formula, scrolls sideways");
      } else {
        for (const a of ["tabindex", "role", "aria-label"]) el.removeAttribute(a);
      }
    }
  }
  // Widths change when the KaTeX fonts arrive and when the window resizes.
  // (Asking for document.fonts.ready lays the page out: not before the
  // first measure(), which mount.js makes once the first view is shown.)
  const remark = () => markWideFormulas();
  let fontsWatched = false;
  const measure = () => {
    if (!fontsWatched) { fontsWatched = true; document.fonts?.ready.then(remark); }
    remark();
  };
  window.addEventListener("resize", remark);

  function setDisabled(button, disabled, fallback) {
    if (disabled && button === activeElement()) fallback.focus();
    button.disabled = disabled;
  }

  function activeElement() {
    return (typeof ShadowRoot !== "undefined" && root instanceof ShadowRoot ? root.activeElement : null) ??
      root.ownerDocument?.activeElement ?? document.activeElement;
  }

  return {
    show, showEarlier, measure,
    useBackward: (parts) => { backward = parts; },
    destroy: () => window.removeEventListener("resize", remark),
  };
}

// Why nothing is computed, as nodes, or null when the step can be shown.
function problemOf({ state, view, inputs, failure }) {
  if (!inputs.forwardOk || failure) {
    const plural = inputs.errors.size > 1;
    return [h("p", { class: "problem" }, failure ? `The core refused this input: ${failure}`
      : `Nothing is computed until the marked input${plural ? "s are" : " is"} fixed:`),
    h("ul", { class: "problem-list" }, [...inputs.errors].map(([key, msg]) => h("li", {}, `${describeKey(key)}: ${msg}`)))];
  }
  if (view.error) return batchOfOne(view);
  if (state.phase === "backward" && !inputs.backwardOk) {
    return [h("p", { class: "problem" }, "Fix the marked dy / target cells to compute the backward pass.")];
  }
  return null;
}

function batchOfOne(view) {
  return [
    h("p", { class: "problem" }, view.error),
    h("p", {}, "With one row in training, μ_B is that row itself, so x − μ_B = 0 and σ²_B = 0 for every feature: x̂ would be 0 whatever the input, and the gradient could not flow to x. PyTorch refuses such a batch, and so does the library behind this page (the message above is its error, worded as PyTorch's)."),
    h("p", {}, "Add a row (Batch size), or switch to Eval: eval normalizes one example with the running statistics, which is how a single prediction is made."),
  ];
}

function notes(state, view, inputs) {
  const out = [];
  if (!inputs.forwardOk) return out;
  const big = inputs.x.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  if (big >= 1e6) {
    out.push(h("p", { class: "note" }, `Very large values (up to ${fmt(big)}): the core stores float32, which keeps about 7 significant digits, so differences smaller than about ${fmt(big * 1.2e-7)} between cells are lost. The mean and variance are accumulated in double precision, but x − μ is rounded to float32.`));
  }
  // (the batch step explains float32 storage in full itself)
  const onBatchStep = state.phase === "forward" && state.step === 0;
  if (view && !view.error) out.push(onBatchStep ? null : float32Pointer(view), evalLagNote(view));
  if (view && !view.error && state.mode === "train") {
    const constant = [];
    for (let k = 0; k < inputs.features; k++) if (view.trainTrace && view.trainTrace.var[k] === 0) constant.push(k + 1);
    if (constant.length) {
      out.push(h("p", { class: "note" }, `Feature ${constant.join(", ")} is constant: its batch variance is 0, so √(σ² + ε) = √ε and ε alone decides x̂ (which is 0 there).`));
    }
  }
  return out;
}
