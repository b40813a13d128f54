// What each control does: DOM events mapped onto the pure transitions of
// transitions.js. `update(next, how)` (mount.js) takes the next state and
// how much of the page to redraw:
//   "navigate"  same numbers, another step (only the steps card and the URL)
//   "presenter" same numbers, presenter mode on or off
//   "compute"   the numbers change, the inputs stay as typed (no rebuild,
//               so the cell being typed in keeps its focus)
//   "dy"        as compute, and the dy panel is built again
//   "rebuild"   the input grid is built again (new shape, pasted or random data)
import { isTablePaste, parsePastedTable } from "./cells.js";
import { showConventionNote } from "./inputs-view.js";
import * as T from "./transitions.js";

const GRID_FIELDS = { x: "cells", dy: "dy", target: "target", W: "linearWeight" };

export function wireEvents(ui, state, update) {
  const { container } = ui;
  const textFields = new Map([[ui.eps.input, "eps"], [ui.momentum.input, "momentum"],
    [ui.randomMean, "randomMean"], [ui.randomSpread, "randomSpread"]]);

  container.addEventListener("input", (e) => {
    const t = e.target;
    if (GRID_FIELDS[t.dataset.grid]) {
      if (!t.readOnly) update(T.editCell(state(), GRID_FIELDS[t.dataset.grid], Number(t.dataset.i), Number(t.dataset.k), t.value), "compute");
    } else if (t.dataset.param) {
      update(T.editParam(state(), t.dataset.param, Number(t.dataset.k), t.value), "compute");
    } else if (textFields.has(t)) {
      update(T.editText(state(), textFields.get(t), t.value), "compute");
    }
  });

  container.addEventListener("change", (e) => {
    const t = e.target;
    if (t === ui.batchInput || t === ui.featuresInput) {
      const rows = Number(ui.batchInput.value), features = Number(ui.featuresInput.value);
      const { okRows, okFeatures, error } = T.checkShape(rows, features);
      for (const [input, ok] of [[ui.batchInput, okRows], [ui.featuresInput, okFeatures]]) {
        if (ok) input.removeAttribute("aria-invalid"); else input.setAttribute("aria-invalid", "true");
      }
      ui.shapeMsg.textContent = error ?? "";
      const s = state();
      if (error || (rows === s.batch && features === s.features)) return;
      update(T.resize(s, rows, features), "rebuild");
    } else if (t.name === ui.convName) {
      update(T.setConvention(state(), t.value), "rebuild");
      showConventionNote(ui, t.value);
    } else if (t.name === ui.dySourceName) {
      update(T.setDySource(state(), t.value), "dy");
    }
  });

  container.addEventListener("paste", (e) => {
    const t = e.target;
    if (t.dataset?.grid !== "x") return;
    const text = e.clipboardData?.getData("text") ?? "";
    if (!isTablePaste(text)) return;
    e.preventDefault();
    const { state: next, message } = T.pasteTable(state(), parsePastedTable(text), Number(t.dataset.i), Number(t.dataset.k));
    update(next, "rebuild");
    ui.inputStatus.textContent = message;
  });

  // Arrow keys and Enter move between rows of a grid.
  container.addEventListener("keydown", (e) => {
    const t = e.target;
    if (!t.dataset?.grid || !["ArrowUp", "ArrowDown", "Enter"].includes(e.key)) return;
    const di = e.key === "ArrowUp" ? -1 : 1;
    const next = container.querySelector(`input[data-grid="${t.dataset.grid}"][data-i="${Number(t.dataset.i) + di}"][data-k="${t.dataset.k}"]`);
    if (next) { e.preventDefault(); next.focus(); next.select(); }
  });

  const on = (button, fn) => button.addEventListener("click", fn);
  const withMessage = (transition, status) => () => {
    const { state: next, message } = transition(state());
    if (next !== state()) update(next, "rebuild");
    if (message) status.textContent = status === ui.runningStatus ? `${status.textContent} ${message}` : message;
  };
  on(ui.randomButton, withMessage(T.randomizeBatch, ui.inputStatus));
  on(ui.trainButton, () => update(T.setMode(state(), "train"), "compute"));
  on(ui.evalButton, () => update(T.setMode(state(), "eval"), "compute"));
  on(ui.nextButton, () => update(T.nextStep(state()), "navigate"));
  on(ui.prevButton, () => update(T.previousStep(state()), "navigate"));
  on(ui.resetButton, () => update(T.reset(state()), "navigate"));
  on(ui.backwardButton, () => update(T.startBackward(state()), "navigate"));
  on(ui.nextBatchButton, withMessage(T.feedBatch, ui.runningStatus));
  on(ui.forgetButton, () => update(T.forgetHistory(state()), "compute"));
  on(ui.presenterButton, () => update(T.setPresenter(state(), !state().presenter), "presenter", { fromClick: true }));
  ui.normSelect.addEventListener("change", () => {
    update(T.setNorm(state(), ui.normSelect.value), "lab-rebuild");
    const lab = container.querySelector(".card-lab");
    if (lab && !lab.hidden) lab.scrollIntoView?.({ block: "start" });
  });
  ui.earlier.addEventListener("toggle", () => {
    if (ui.earlier.open !== state().earlier) update(T.openEarlierSteps(state(), ui.earlier.open), "navigate");
  });
}
