// mountStepper(root, bn, options): the batch-norm stepper, rendered entirely
// inside `root` (an element in the light DOM, or a ShadowRoot the caller
// created). Used by the index page (web/js/page-index.js) and by the
// <bn-stepper> widget.
//
//   const stepper = mountStepper(rootElementOrShadowRoot, await loadBN(), {
//     state: { cells: [["1","2"],["3","5"]], mode: "eval", step: 3, ... },  // any subset of state.js fields
//     data: "1,2;3,5;2,0;4,1",   // or any field by its <bn-stepper> attribute name and text
//     syncUrl: true,             // page: state ⇄ location.hash; widgets: false
//     katexCssUrl: "…/katex.min.css",  // inserted as a <link> into a ShadowRoot
//   });
//   stepper.getState(); stepper.setTheme("dark" | "light" | null); stepper.destroy();
//
// Styling: the stepper's CSS is the string STEPPER_CSS (web/js/stepper/styles.js);
// mountStepper inserts it as a <style> element at the top of `root`, so it
// works in light DOM and inside a shadow root alike (the page's policy allows
// <style> elements: style-src 'unsafe-inline'). KaTeX's stylesheet must be
// present where the stepper lives: the page links it in <head>; inside a
// shadow root pass katexCssUrl (its @font-face rules also need the same
// stylesheet once in the document head, as fonts are declared document-wide).
// No global ids: every id is prefixed per instance; hooks are scoped to root.
//
// This file only wires the parts: state.js (the state table), transitions.js
// (what each control does), skeleton.js (the DOM), events.js (controls ->
// transitions), inputs-view.js, steps-view.js, running-view.js,
// export-view.js, inference-view.js, lab-view.js, conv-fold-view.js (the views; fold-compute.js the
// inference card's numbers), url-sync.js (the hash), compute.js (the core),
// shortcuts.js (keys), presenter.js (presenter mode), print-view.js
// (printing every step), overflow.js (scroll cues, cell widths).
import { h, uniqueId } from "../dom.js";
import { STEPPER_CSS } from "./styles.js";
import { stateFromOptions } from "./state.js";
import { readInputs } from "./inputs.js";
import { computeView } from "./compute.js";
import { markErrors } from "./grid-view.js";
import { buildSkeleton } from "./skeleton.js";
import { showDyPanel, showInputs, showLossDy } from "./inputs-view.js";
import { createStepsView } from "./steps-view.js";
import { showRunning } from "./running-view.js";
import { createExportView } from "./export-view.js";
import { stateInUrl, syncWithUrl } from "./url-sync.js";
import { wireEvents } from "./events.js";
import { wireShortcuts } from "./shortcuts.js";
import { createPresenter } from "./presenter.js";
import { wirePrint } from "./print-view.js";
import { watchOverflow } from "./overflow.js";
import { setPresenter } from "./transitions.js";
import { computeInference, readLinear } from "./fold-compute.js";
import { createInferenceView } from "./inference-view.js";
import { createLabView } from "./lab-view.js";
import { createConvFoldView } from "./conv-fold-view.js";

export function mountStepper(root, bn, options = {}) {
  const syncUrl = options.syncUrl ?? false;
  const prefix = uniqueId("bns");
  let state = (syncUrl && stateInUrl()) || stateFromOptions(options);
  let current = null;                 // { state, view, inputs, failure } last computed

  const ui = buildSkeleton({ prefix, withCopyLink: syncUrl });
  const style = h("style", {}, STEPPER_CSS);
  const links = options.katexCssUrl && typeof ShadowRoot !== "undefined" && root instanceof ShadowRoot
    ? h("link", { rel: "stylesheet", href: options.katexCssUrl }) : null;
  root.append(...[style, links, ui.container].filter(Boolean));

  const stepsView = createStepsView(ui, root);
  const inferenceView = createInferenceView(ui, { prefix, state: () => state, update });
  ui.container.querySelector(".card-export").before(inferenceView.card);
  const labView = createLabView({ prefix, bn, state: () => state, update });
  ui.container.querySelector(".card-steps").after(labView.card);
  const convFoldView = createConvFoldView({ prefix, bn, state: () => state, update });
  labView.card.append(convFoldView.section);
  ui.container.querySelector(".card-input h2").after(labView.chooser);
  const exportView = createExportView(ui, () => current);
  const url = syncUrl ? syncWithUrl((decoded) => update(decoded, "rebuild", { writeUrl: false })) : null;
  const presenter = createPresenter(ui, () => update(setPresenter(state, false), "presenter"));
  const overflow = watchOverflow(ui.container);

  // Reads the inputs and computes every number of the view in the core.
  function compute() {
    const inputs = readInputs(state);
    let view = null, failure = null;
    if (inputs.forwardOk) {
      try {
        view = computeView(bn, state, inputs);
      } catch (e) {
        failure = e.message;
      }
    }
    const linear = readLinear(state);
    current = { state, view, inputs, failure, linear, inference: view && !view.error ? computeInference(bn, view, linear) : null };
    markErrors(ui.container, inputs.errors);
    showLossDy(ui, state, view);
    showRunning(ui, state, view, inputs);
    exportView.show();
  }

  // how: "navigate" | "presenter" (same numbers), "compute", "dy", "rebuild" (events.js);
  // "lab", "lab-rebuild", "lab-stat": only the normalization lab changes (lab-view.js).
  function update(next, how, { writeUrl = true, fromClick = false } = {}) {
    if (how.startsWith("lab")) {
      state = next;
      current = { ...current, state };
      labView.show(state, how);
      convFoldView.show(state, how);
      if (writeUrl) url?.write(state);
      return;
    }
    const phaseChanged = next.phase !== state.phase;
    state = next;
    if (how === "rebuild") showInputs(ui, prefix, state, current?.view);
    else if (how === "dy" || phaseChanged) showDyPanel(ui, prefix, state, current?.view);
    if (how === "navigate" || how === "presenter") current = { ...current, state };
    else compute();
    presenter.show(state.presenter, { fromClick });
    stepsView.show(current);
    inferenceView.show(current, how);
    labView.show(state, how);
    convFoldView.show(state, how);
    overflow.refresh();
    if (writeUrl) url?.write(state);
  }

  wireEvents(ui, () => state, update);
  const unwireShortcuts = wireShortcuts(ui, { state: () => state, update, global: syncUrl });
  const unwirePrint = wirePrint(ui, () => current);

  showInputs(ui, prefix, state, null);
  update(state, "compute");

  return {
    getState: () => structuredClone(state),
    setTheme(theme) {
      if (theme) ui.container.dataset.theme = theme; else delete ui.container.dataset.theme;
    },
    destroy() {
      url?.destroy();
      stepsView.destroy();
      unwireShortcuts();
      unwirePrint();
      presenter.destroy();
      overflow.destroy();
      for (const node of [style, links, ui.container]) node?.remove();
    },
  };
}
