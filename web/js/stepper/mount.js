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
//   await stepper.ready;   // every section in place (see below)
//
// Loading: the first view (the input card, Step through, running
// statistics) is built at once from the modules imported here; the sections
// past it (inference card, normalization lab, Conv2d fold, Share and export,
// printing: extras.js) are imported with import() after the first number is
// on screen. Until they are in place the stepper's container carries
// aria-busy="true" and the export buttons are disabled; `ready` resolves
// then (a state that opens one of them, from the URL or the options, shows
// it as soon as it is loaded).
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
// (the views of the first view), extras.js (the sections loaded after
// it), url-sync.js (the hash), compute.js (the core),
// shortcuts.js (keys), presenter.js (presenter mode), overflow.js (scroll
// cues, cell widths).
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
import { stateInUrl, syncWithUrl } from "./url-sync.js";
import { wireEvents } from "./events.js";
import { wireShortcuts } from "./shortcuts.js";
import { createPresenter } from "./presenter.js";
import { watchOverflow } from "./overflow.js";
import { setPresenter } from "./transitions.js";

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
  let extras = null;                  // extras.js's sections, once loaded
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
    current = { state, view, inputs, failure, ...extras?.compute(state, view) };
    markErrors(ui.container, inputs.errors);
    showLossDy(ui, state, view);
    showRunning(ui, state, view, inputs);
    extras?.showExport();
  }

  // how: "navigate" | "presenter" (same numbers), "compute", "dy", "rebuild" (events.js);
  // "lab", "lab-rebuild", "lab-stat": only the normalization lab changes (lab-view.js).
  // measure: false (the first view) leaves what lays the page out (wide
  // formulas, scroll cues) until the sections past it are in place.
  function update(next, how, { writeUrl = true, fromClick = false, measure = true } = {}) {
    if (how.startsWith("lab")) {
      state = next;
      current = { ...current, state };
      ui.normSelect.value = state.norm;
      extras?.showLab(state, how);
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
    stepsView.show(current, { measure });
    ui.normSelect.value = state.norm;
    extras?.show(current, how);
    if (measure) overflow.refresh(); else overflow.fitCells();
    if (writeUrl) url?.write(state);
  }

  wireEvents(ui, () => state, update);
  const unwireShortcuts = wireShortcuts(ui, { state: () => state, update, global: syncUrl });

  showInputs(ui, prefix, state, null);
  update(state, "compute", { measure: false });

  // The sections past the first view: loaded now, shown with the state of
  // the moment they arrive (their numbers computed then; the first view's
  // stay as they are).
  let destroyed = false;
  ui.container.setAttribute("aria-busy", "true");
  const settled = () => {
    stepsView.measure();
    overflow.refresh();
    ui.container.removeAttribute("aria-busy");
  };
  const ready = import("./extras.js").then(({ mountExtras }) => {
    if (destroyed) return;
    extras = mountExtras({ ui, prefix, bn, state: () => state, update, current: () => current });
    stepsView.useBackward(extras.backward);
    current = { ...current, ...extras.compute(state, current.view) };
    if (state.phase === "backward") stepsView.show(current);
    extras.show(current, "compute");
    extras.showExport();
    settled();
  }, (e) => {
    settled();
    ui.exportStatus.textContent = `The inference, lab and export sections could not load: ${e.message}`;
    throw e;
  });

  return {
    ready,
    getState: () => structuredClone(state),
    setTheme(theme) {
      if (theme) ui.container.dataset.theme = theme; else delete ui.container.dataset.theme;
    },
    destroy() {
      destroyed = true;
      extras?.destroy();
      url?.destroy();
      stepsView.destroy();
      unwireShortcuts();
      presenter.destroy();
      overflow.destroy();
      for (const node of [style, links, ui.container]) node?.remove();
    },
  };
}
