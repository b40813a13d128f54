// The stepper's DOM skeleton, built once per stepper: the four cards
// (your batch, step through, running statistics, share and export) with
// every control and the empty places the views fill. Returns the elements
// by name; no listener is attached here (mount.js wires them).
// Ids are prefixed per stepper (`prefix`), so several fit on one page.
import { h } from "../dom.js";
import { CONVENTIONS } from "./conventions.js";
import { LIMITS } from "./state.js";
import { SHORTCUTS } from "./shortcuts.js";
import { NORMS, NORM_KEYS } from "./norm-axes.js";

const pair = (label, input) => h("span", { class: "pair" }, label, input);

export function buildSkeleton({ prefix, withCopyLink }) {
  const id = (name) => `${prefix}-${name}`;
  const paramInput = (key) => ({
    input: h("input", { type: "text", id: id(key), class: "small", "aria-label": key, inputmode: "decimal",
      autocomplete: "off", "data-key": key }),
    msg: h("span", { class: "msg", id: id(`${key}-msg`), "data-msg-for": key }),
  });
  const ui = {
    id,
    convName: id("conv"),
    dySourceName: id("dys"),
    batchInput: h("input", { type: "number", id: id("batch"), min: LIMITS.minRows, max: LIMITS.maxRows, step: 1, class: "small" }),
    featuresInput: h("input", { type: "number", id: id("features"), min: LIMITS.minFeatures, max: LIMITS.maxFeatures, step: 1, class: "small" }),
    shapeMsg: h("span", { class: "msg", id: id("shape-msg"), role: "status" }),
    gridWrap: h("div", { class: "scroll", role: "region", "aria-label": "Input batch x, with gamma and beta per feature", tabindex: "0" }),
    eps: paramInput("eps"),
    momentum: paramInput("momentum"),
    convNote: h("p", { class: "hint" }),
    randomMean: h("input", { type: "text", id: id("rmean"), class: "small", inputmode: "decimal" }),
    randomSpread: h("input", { type: "text", id: id("rspread"), class: "small", inputmode: "decimal" }),
    randomButton: h("button", { type: "button" }, "Random batch"),
    inputStatus: h("p", { class: "status", role: "status" }),
    // BatchNorm1d is this card's batch; the others open the lab card (lab-view.js, loaded after the first view).
    normSelect: h("select", { id: id("lab-norm") }, NORM_KEYS.map((k) => h("option", { value: k }, NORMS[k].label))),

    trainButton: h("button", { type: "button", class: "toggle", "aria-pressed": "true" }, "Train"),
    evalButton: h("button", { type: "button", class: "toggle", "aria-pressed": "false" }, "Eval"),
    prevButton: h("button", { type: "button" }, "Previous step"),
    nextButton: h("button", { type: "button", class: "primary" }, "Next step"),
    resetButton: h("button", { type: "button" }, "Reset"),
    backwardButton: h("button", { type: "button" }, "Backward"),
    presenterButton: h("button", { type: "button", class: "toggle presenter-toggle", "aria-pressed": "false" }, "Presenter mode"),
    keysHint: h("p", { class: "hint keys" }, SHORTCUTS),
    printSteps: h("div", { class: "print-steps" }),
    presenterSlot: h("div", { class: "presenter-slot" }),
    progress: h("p", { class: "progress", "aria-live": "polite" }),
    dyPanel: h("div", { class: "dy-panel" }),
    notes: h("div", { class: "notes" }),
    panel: h("div", { class: "panel" }),
    checkArea: h("div", { class: "check" }),
    earlier: h("details", { class: "earlier" }, h("summary", {}, "Earlier steps")),
    earlierBody: h("div", {}),

    nextBatchButton: h("button", { type: "button" }, "Next batch"),
    forgetButton: h("button", { type: "button" }, "Forget earlier batches"),
    runningStatus: h("p", { class: "status", role: "status" }),
    charts: h("div", { class: "charts" }),
    compare: h("div", { class: "compare" }),

    // Disabled until export-view.js (loaded after the first view) wires them.
    copyLinkButton: withCopyLink ? h("button", { type: "button", disabled: true }, "Copy link") : null,
    copyTorchButton: h("button", { type: "button", disabled: true }, "Copy as PyTorch"),
    csvButton: h("button", { type: "button", disabled: true }, "Download CSV"),
    exportStatus: h("p", { class: "status", role: "status" }),
    snippet: h("pre", { class: "snippet", tabindex: "0", "aria-label": "PyTorch snippet" }),
  };
  ui.earlier.append(ui.earlierBody);
  ui.snippetBox = h("details", { class: "snippet-box" }, h("summary", {}, "PyTorch code for this view"), ui.snippet);
  ui.convRadios = Object.entries(CONVENTIONS).map(([key, c]) =>
    h("label", { class: "radio" }, h("input", { type: "radio", name: ui.convName, value: key }), ` ${c.label}`));

  ui.container = h("div", { class: "bns" },
    h("div", { class: "bns-layout" },
      h("section", { class: "card card-input", "aria-labelledby": id("h-input") },
        h("h2", { id: id("h-input") }, "1. Your batch"),
        h("div", { class: "row-controls norm-chooser presenter-hide" },
          pair(h("label", { for: id("lab-norm") }, "Normalization"), ui.normSelect),
          h("span", { class: "hint" }, "BatchNorm1d on this batch; the others open the normalization lab (an image batch) below.")),
        h("div", { class: "row-controls presenter-hide" },
          pair(h("label", { for: id("batch") }, "Batch size"), ui.batchInput),
          pair(h("label", { for: id("features") }, "Features"), ui.featuresInput), ui.shapeMsg),
        ui.gridWrap,
        h("p", { class: "hint presenter-hide" }, "Paste from a spreadsheet (tab or comma separated) into any cell to fill the grid from there. Arrow keys move between rows."),
        h("div", { class: "row-controls" },
          pair(h("label", { for: id("eps") }, "eps"), ui.eps.input), ui.eps.msg,
          pair(h("label", { for: id("momentum") }, "momentum"), ui.momentum.input), ui.momentum.msg),
        h("fieldset", { class: "conv presenter-hide" }, h("legend", {}, "Convention"), ui.convRadios, ui.convNote),
        h("div", { class: "row-controls presenter-hide" },
          pair(h("label", { for: id("rmean") }, "Random mean"), ui.randomMean),
          pair(h("label", { for: id("rspread") }, "Random spread"), ui.randomSpread), ui.randomButton),
        ui.presenterSlot, ui.inputStatus),
      h("section", { class: "card card-steps", "aria-labelledby": id("h-steps") },
        h("h2", { id: id("h-steps") }, "2. Step through"),
        h("div", { class: "toolbar" },
          h("div", { role: "group", "aria-label": "Mode", class: "seg" }, ui.trainButton, ui.evalButton),
          h("div", { role: "group", "aria-label": "Steps", class: "nav" }, ui.prevButton, ui.nextButton, ui.resetButton, ui.backwardButton),
          ui.presenterButton),
        ui.progress, ui.dyPanel, ui.notes, ui.panel, ui.checkArea, ui.earlier, ui.keysHint, ui.printSteps),
      h("section", { class: "card card-running", "aria-labelledby": id("h-running") },
        h("h2", { id: id("h-running") }, "3. Running statistics over batches"),
        h("p", {}, "Each batch fed in training moves the running estimates toward the data's mean and variance; eval mode uses them. “Next batch” feeds this batch and draws a new one with the random mean and spread."),
        h("div", { class: "row-controls" }, ui.nextBatchButton, ui.forgetButton), ui.runningStatus, ui.charts, ui.compare),
      h("section", { class: "card card-export", "aria-labelledby": id("h-export") },
        h("h2", { id: id("h-export") }, "5. Share and export"),
        h("div", { class: "row-controls" }, ui.copyLinkButton, ui.copyTorchButton, ui.csvButton), ui.exportStatus, ui.snippetBox)));
  return ui;
}
