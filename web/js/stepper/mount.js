// mountStepper(root, bn, options): the batch-norm stepper, rendered entirely
// inside `root` (an element in the light DOM, or a ShadowRoot the caller
// created). Used by the index page (web/js/page-index.js) and by the
// <bn-stepper> widget.
//
//   const stepper = mountStepper(rootElementOrShadowRoot, await loadBN(), {
//     state: { cells: [["1","2"],["3","5"]], mode: "eval", step: 3, ... },  // any subset of state.js fields
//     data: "1,2;3,5;2,0;4,1",   // or the widget's attribute form for the grid
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
import { h, uniqueId } from "../dom.js";
import { STEPPER_CSS } from "./styles.js";
import { CONVENTIONS, FORWARD_STEPS, BACKWARD_STEPS, LIMITS, stateFromOptions, decodeState, encodeState, resize, shapeOf } from "./state.js";
import { parsePastedTable, isTablePaste, parseNumber } from "./cells.js";
import { readInputs } from "./inputs.js";
import { computeView, gradientCheck } from "./compute.js";
import { buildGrid, markErrors } from "./grid-view.js";
import { FORWARD } from "./steps-forward.js";
import { BACKWARD } from "./steps-backward.js";
import { randomBatch, nextSeed } from "./random.js";
import { runningCharts, conventionTable } from "./running-view.js";
import { pytorchSnippet, intermediatesCsv } from "./export.js";
import { fmt } from "./numbers.js";

const resolve = (v, view) => (typeof v === "function" ? v(view) : v);

export function mountStepper(root, bn, options = {}) {
  const syncUrl = options.syncUrl ?? false;
  const prefix = uniqueId("bns");
  let state = initialState(options, syncUrl);
  let lastHash = "";
  let view = null;
  let inputs = null;
  let failure = null;                 // the core's message when computeView threw
  const earlierCache = new Map();     // step definition → its rendered section, for this view

  // ---- skeleton (built once; the grids and panels are rebuilt as needed)
  const style = h("style", {}, STEPPER_CSS);
  const links = options.katexCssUrl && typeof ShadowRoot !== "undefined" && root instanceof ShadowRoot
    ? h("link", { rel: "stylesheet", href: options.katexCssUrl }) : null;
  const id = (name) => `${prefix}-${name}`;

  const batchInput = h("input", { type: "number", id: id("batch"), min: LIMITS.minRows, max: LIMITS.maxRows, step: 1, class: "small" });
  const featuresInput = h("input", { type: "number", id: id("features"), min: LIMITS.minFeatures, max: LIMITS.maxFeatures, step: 1, class: "small" });
  const shapeMsg = h("span", { class: "msg", id: id("shape-msg"), role: "status" });
  const gridWrap = h("div", { class: "scroll", role: "region", "aria-label": "Input batch x, with gamma and beta per feature", tabindex: "0" });
  const epsInput = paramInput("eps", "eps");
  const momentumInput = paramInput("momentum", "momentum");
  const convName = id("conv");
  const convRadios = Object.entries(CONVENTIONS).map(([key, c]) =>
    h("label", { class: "radio" }, h("input", { type: "radio", name: convName, value: key }), ` ${c.label}`));
  const convNote = h("p", { class: "hint" });
  const randomMean = h("input", { type: "text", id: id("rmean"), class: "small", inputmode: "decimal" });
  const randomSpread = h("input", { type: "text", id: id("rspread"), class: "small", inputmode: "decimal" });
  const randomButton = h("button", { type: "button" }, "Random batch");
  const inputStatus = h("p", { class: "status", role: "status" });

  const trainButton = h("button", { type: "button", class: "toggle", "aria-pressed": "true" }, "Train");
  const evalButton = h("button", { type: "button", class: "toggle", "aria-pressed": "false" }, "Eval");
  const prevButton = h("button", { type: "button" }, "Previous step");
  const nextButton = h("button", { type: "button", class: "primary" }, "Next step");
  const resetButton = h("button", { type: "button" }, "Reset");
  const backwardButton = h("button", { type: "button" }, "Backward");
  const progress = h("p", { class: "progress", "aria-live": "polite" });
  const dyPanel = h("div", { class: "dy-panel" });
  const notes = h("div", { class: "notes" });
  const panel = h("div", { class: "panel" });
  const checkArea = h("div", { class: "check" });
  const earlier = h("details", { class: "earlier" }, h("summary", {}, "Earlier steps"));
  const earlierBody = h("div", {});
  earlier.append(earlierBody);

  const nextBatchButton = h("button", { type: "button" }, "Next batch");
  const forgetButton = h("button", { type: "button" }, "Forget earlier batches");
  const runningStatus = h("p", { class: "status", role: "status" });
  const charts = h("div", { class: "charts" });
  const compare = h("div", { class: "compare" });

  const copyLinkButton = syncUrl ? h("button", { type: "button" }, "Copy link") : null;
  const copyTorchButton = h("button", { type: "button" }, "Copy as PyTorch");
  const csvButton = h("button", { type: "button" }, "Download CSV");
  const exportStatus = h("p", { class: "status", role: "status" });
  const snippet = h("pre", { class: "snippet", tabindex: "0", "aria-label": "PyTorch snippet" });
  const snippetBox = h("details", { class: "snippet-box" }, h("summary", {}, "PyTorch code for this view"), snippet);

  const container = h("div", { class: "bns" },
    h("div", { class: "bns-layout" },
      h("section", { class: "card card-input", "aria-labelledby": id("h-input") },
        h("h2", { id: id("h-input") }, "1. Your batch"),
        h("div", { class: "row-controls" },
          pair(h("label", { for: id("batch") }, "Batch size"), batchInput),
          pair(h("label", { for: id("features") }, "Features"), featuresInput), shapeMsg),
        gridWrap,
        h("p", { class: "hint" }, "Paste from a spreadsheet (tab or comma separated) into any cell to fill the grid from there. Arrow keys move between rows."),
        h("div", { class: "row-controls" },
          pair(h("label", { for: epsInput.input.id }, "eps"), epsInput.input), epsInput.msg,
          pair(h("label", { for: momentumInput.input.id }, "momentum"), momentumInput.input), momentumInput.msg),
        h("fieldset", { class: "conv" }, h("legend", {}, "Convention"), convRadios, convNote),
        h("div", { class: "row-controls" },
          pair(h("label", { for: id("rmean") }, "Random mean"), randomMean),
          pair(h("label", { for: id("rspread") }, "Random spread"), randomSpread), randomButton),
        inputStatus),
      h("section", { class: "card card-steps", "aria-labelledby": id("h-steps") },
        h("h2", { id: id("h-steps") }, "2. Step through"),
        h("div", { class: "toolbar" },
          h("div", { role: "group", "aria-label": "Mode", class: "seg" }, trainButton, evalButton),
          h("div", { role: "group", "aria-label": "Steps", class: "nav" }, prevButton, nextButton, resetButton, backwardButton)),
        progress, dyPanel, notes, panel, checkArea, earlier),
      h("section", { class: "card card-running", "aria-labelledby": id("h-running") },
        h("h2", { id: id("h-running") }, "3. Running statistics over batches"),
        h("p", {}, "Each batch fed in training moves the running estimates toward the data's mean and variance; eval mode uses them. “Next batch” feeds this batch and draws a new one with the random mean and spread."),
        h("div", { class: "row-controls" }, nextBatchButton, forgetButton), runningStatus, charts, compare),
      h("section", { class: "card card-export", "aria-labelledby": id("h-export") },
        h("h2", { id: id("h-export") }, "4. Share and export"),
        h("div", { class: "row-controls" }, copyLinkButton, copyTorchButton, csvButton), exportStatus, snippetBox)));

  root.append(...[style, links, container].filter(Boolean));

  function pair(label, input) {
    return h("span", { class: "pair" }, label, input);
  }

  function paramInput(key, label) {
    const input = h("input", { type: "text", id: id(key), class: "small", "aria-label": label, inputmode: "decimal", autocomplete: "off", "data-key": key });
    const msg = h("span", { class: "msg", id: id(`${key}-msg`), "data-msg-for": key });
    return { input, msg };
  }

  // ---- rendering

  function buildInputs() {
    const { rows, features } = shapeOf(state);
    batchInput.value = rows;
    featuresInput.value = features;
    epsInput.input.value = state.eps;
    momentumInput.input.value = state.momentum;
    randomMean.value = state.randomMean;
    randomSpread.value = state.randomSpread;
    for (const label of convRadios) label.firstChild.checked = label.firstChild.value === state.convention;
    gridWrap.replaceChildren(buildGrid({ prefix, name: "x", label: "row", cells: state.cells,
      extraRows: [{ name: "gamma", label: "γ (gamma)", values: state.gamma }, { name: "beta", label: "β (beta)", values: state.beta }] }));
    buildDyPanel();
  }

  function buildDyPanel() {
    if (state.phase !== "backward") { dyPanel.replaceChildren(); return; }
    const radio = (value, text) => h("label", { class: "radio" },
      h("input", { type: "radio", name: id("dys"), value, checked: state.dySource === value }), ` ${text}`);
    const fromLoss = state.dySource === "loss";
    dyPanel.replaceChildren(...[
      h("fieldset", { class: "conv" }, h("legend", {}, "dy comes from"),
        radio("manual", "typed by hand"), radio("loss", "the loss L = ½ Σ (y − target)²")),
      fromLoss ? h("div", { class: "scroll", role: "region", tabindex: "0", "aria-label": "Targets" },
        buildGrid({ prefix, name: "target", label: "row", cells: state.target, caption: "Targets t" })) : null,
      h("div", { class: "scroll", role: "region", tabindex: "0", "aria-label": "Gradient dy" },
        buildGrid({ prefix, name: "dy", label: "row", cells: fromLoss ? dyFromView() : state.dy, readOnly: fromLoss,
          caption: fromLoss ? "dy = y − t (computed)" : "dy (gradient of the loss with respect to y)" })),
    ].filter(Boolean));
  }

  function dyFromView() {
    const { rows, features } = shapeOf(state);
    return Array.from({ length: rows }, (_, i) => Array.from({ length: features }, (_, k) =>
      view?.dy ? fmt(view.dy[i * features + k]).replace(/−/g, "-") : ""));
  }

  function refresh({ url = true } = {}) {
    inputs = readInputs(state);
    markErrors(container, inputs.errors);
    view = null;
    failure = null;
    earlierCache.clear();
    if (inputs.forwardOk) {
      try {
        view = computeView(bn, state, inputs);
      } catch (e) {
        failure = e.message;
      }
    }
    if (state.phase === "backward" && state.dySource === "loss") {
      for (const input of dyPanel.querySelectorAll('input[data-grid="dy"]')) {
        const j = Number(input.dataset.i) * inputs.features + Number(input.dataset.k);
        input.value = view?.dy ? fmt(view.dy[j]).replace(/−/g, "-") : "";
      }
    }
    renderSteps();
    renderRunning();
    renderExport();
    if (url) writeUrl();
  }

  function stepsOf() {
    return state.phase === "forward" ? FORWARD : BACKWARD;
  }

  function renderSteps() {
    const steps = stepsOf();
    const step = steps[state.step];
    const last = (state.phase === "forward" ? FORWARD_STEPS : BACKWARD_STEPS) - 1;
    trainButton.setAttribute("aria-pressed", String(state.mode === "train"));
    evalButton.setAttribute("aria-pressed", String(state.mode === "eval"));
    setDisabled(prevButton, state.phase === "forward" && state.step === 0, nextButton);
    setDisabled(nextButton, state.step === last, state.phase === "forward" ? backwardButton : prevButton);
    nextButton.classList.toggle("primary", state.step !== last);
    backwardButton.classList.toggle("primary", state.phase === "forward" && state.step === last);
    const phaseName = state.phase === "forward" ? "Forward" : "Backward";
    const title = resolve(step.title, view ?? { mode: state.mode });
    progress.replaceChildren(`${phaseName} pass · ${state.mode} mode · step ${state.step + 1} of ${last + 1}`,
      h("span", { class: "sr-only" }, `: ${title}`));
    highlight(view || inputs.forwardOk ? resolve(step.uses, view ?? { mode: state.mode }) : []);
    checkArea.replaceChildren();
    notes.replaceChildren(...noteList());
    if (!inputs.forwardOk || failure) {
      panel.replaceChildren(h("h3", {}, title), h("p", { class: "problem" },
        failure ? `The core refused this input: ${failure}` : `Nothing is computed until the marked input${inputs.errors.size > 1 ? "s are" : " is"} fixed:`),
      h("ul", { class: "problem-list" }, [...inputs.errors].map(([key, msg]) => h("li", {}, `${describeKey(key)}: ${msg}`))));
      earlier.hidden = true;
      return;
    }
    if (view.error) {
      panel.replaceChildren(h("h3", {}, title), ...batchOfOne(view));
      earlier.hidden = true;
      return;
    }
    if (state.phase === "backward" && !inputs.backwardOk) {
      panel.replaceChildren(h("h3", {}, title), h("p", { class: "problem" }, "Fix the marked dy / target cells to compute the backward pass."));
      earlier.hidden = true;
      return;
    }
    panel.replaceChildren(h("h3", {}, title), ...[].concat(step.render(view)).filter(Boolean));
    if (state.phase === "backward" && state.step === last) {
      const result = h("p", { class: "check-result", role: "status" });
      const button = h("button", { type: "button" }, "Check gradient");
      button.addEventListener("click", () => {
        const { relError, fd } = gradientCheck(bn, view, inputs);
        const maxFd = fd.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
        result.replaceChildren("Relative error between dx and the finite-difference estimate: ",
          h("span", { "data-check": "relError", "data-value": String(relError) }, fmt(relError)),
          `. ${relError < 1e-2 ? "They agree" : "They disagree"}: the core computes in float32, so anything up to about 1e−3 means the formulas match (largest |estimate| ${fmt(maxFd)}).`);
      });
      checkArea.replaceChildren(h("p", {}, "Finite differences: nudge each x by ±h, run the forward pass in the core, and compare (L(x + h) − L(x − h)) / 2h with dx."), button, result);
    }
    renderEarlier();
    markWideFormulas();
  }

  // A formula still wider than its box (a long sum on a phone) scrolls
  // sideways; make that box reachable by keyboard and named.
  function markWideFormulas() {
    for (const el of container.querySelectorAll(".tex-display")) {
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
  const remark = () => markWideFormulas();
  document.fonts?.ready.then(remark);
  window.addEventListener("resize", remark);

  function renderEarlier() {
    const before = state.phase === "forward"
      ? FORWARD.slice(0, state.step)
      : [...FORWARD, ...BACKWARD.slice(0, state.step)];
    earlier.hidden = before.length === 0;
    if (!earlier.open || !view) { earlierBody.replaceChildren(); return; }
    // Stepping does not change the numbers: earlier steps are rendered once
    // per computed view and reused.
    earlierBody.replaceChildren(...before.map((step) => {
      if (!earlierCache.has(step)) {
        earlierCache.set(step, h("section", { class: "earlier-step" }, h("h3", {}, resolve(step.title, view)),
          ...[].concat(step.render(view)).filter(Boolean)));
      }
      return earlierCache.get(step);
    }));
    markWideFormulas();
  }

  function noteList() {
    const out = [];
    if (!inputs.forwardOk) return out;
    const big = inputs.x.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    if (big >= 1e6) {
      out.push(h("p", { class: "note" }, `Very large values (up to ${fmt(big)}): the core stores float32, which keeps about 7 significant digits, so differences smaller than about ${fmt(big * 1.2e-7)} between cells are lost. The mean and variance are accumulated in double precision, but x − μ is rounded to float32.`));
    }
    if (view && !view.error) {
      const constant = [];
      for (let k = 0; k < inputs.features; k++) if (view.trainTrace && view.trainTrace.var[k] === 0) constant.push(k + 1);
      if (constant.length && state.mode === "train") {
        out.push(h("p", { class: "note" }, `Feature ${constant.join(", ")} is constant: its batch variance is 0, so √(σ² + ε) = √ε and ε alone decides x̂ (which is 0 there).`));
      }
    }
    return out;
  }

  function batchOfOne(v) {
    return [
      h("p", { class: "problem" }, v.error),
      h("p", {}, "With one row in training, μ_B is that row itself, so x − μ_B = 0 and σ²_B = 0 for every feature: x̂ would be 0 whatever the input, and the gradient could not flow to x. PyTorch refuses such a batch, and so does the library behind this page (the message above is its error, worded as PyTorch's)."),
      h("p", {}, "Add a row (Batch size), or switch to Eval: eval normalizes one example with the running statistics, which is how a single prediction is made."),
    ];
  }

  function highlight(uses) {
    const on = new Set(uses);
    for (const input of container.querySelectorAll("input.cell, input[data-key=eps], input[data-key=momentum]")) {
      const kind = input.dataset.grid ?? input.dataset.param ?? input.dataset.key;
      input.classList.toggle("in-use", on.has(kind));
    }
  }

  function renderRunning() {
    const canFeed = inputs.forwardOk && inputs.rows >= 2;
    nextBatchButton.disabled = !canFeed || state.history.length >= LIMITS.maxHistory;
    forgetButton.disabled = state.history.length === 0;
    if (!view?.compare) {
      runningStatus.textContent = "";
      charts.replaceChildren();
      compare.replaceChildren();
      return;
    }
    const fed = view.runs.length;
    runningStatus.textContent = `${fed} ${fed === 1 ? "batch" : "batches"} fed in training${view.trainTrace ? " (this one included)" : ""}.`;
    // Batches drawn by "Next batch" come from normal(mean, spread²): the
    // running estimates should approach those values (dashed lines).
    charts.replaceChildren(...runningCharts(view, inputs.features, state.history.length > 0 ? randomParams() : null));
    compare.replaceChildren(...conventionTable(view, inputs.features));
  }

  function renderExport() {
    if (snippetBox.open && inputs.forwardOk) snippet.textContent = pytorchSnippet(state, inputs);
    copyTorchButton.disabled = !inputs.forwardOk;
    csvButton.disabled = !view || !!view.error || !view.dx;
  }

  function setDisabled(button, disabled, fallback) {
    if (disabled && button === activeElement()) fallback.focus();
    button.disabled = disabled;
  }

  function activeElement() {
    const r = root.getRootNode ? root : document;
    return (r instanceof ShadowRoot ? r.activeElement : null) ?? root.ownerDocument?.activeElement ?? document.activeElement;
  }

  function describeKey(key) {
    const [name, a, b] = key.split(":");
    if (name === "x" || name === "dy" || name === "target") return `${name} row ${Number(a) + 1} feature ${Number(b) + 1}`;
    if (name === "gamma" || name === "beta") return `${name} feature ${Number(a) + 1}`;
    return name;
  }

  // ---- URL

  function writeUrl() {
    if (!syncUrl) return;
    const hash = `#${encodeState(state)}`;
    if (hash !== location.hash) {
      lastHash = hash;
      history.replaceState(null, "", hash);
    }
  }

  function onHashChange() {
    if (location.hash === lastHash) return;
    const decoded = decodeState(location.hash);
    if (!decoded) return;
    state = decoded;
    buildInputs();
    refresh({ url: false });
  }

  // ---- events

  function setState(changes, { rebuild = false, rebuildDy = false } = {}) {
    state = { ...state, ...changes };
    if (rebuild) buildInputs();
    else if (rebuildDy) buildDyPanel();
    refresh();
  }

  // Step / phase changes: same inputs, same numbers; only the step view and the URL change.
  function navigate(changes, { rebuildDy = false } = {}) {
    state = { ...state, ...changes };
    if (rebuildDy) buildDyPanel();
    renderSteps();
    writeUrl();
  }

  container.addEventListener("input", (e) => {
    const t = e.target;
    if (t.dataset.grid === "x" || t.dataset.grid === "dy" || t.dataset.grid === "target") {
      const field = t.dataset.grid === "x" ? "cells" : t.dataset.grid;
      if (t.readOnly) return;
      const grid = state[field].map((r) => r.slice());
      grid[Number(t.dataset.i)][Number(t.dataset.k)] = t.value;
      setState({ [field]: grid });
    } else if (t.dataset.param) {
      const list = state[t.dataset.param].slice();
      list[Number(t.dataset.k)] = t.value;
      setState({ [t.dataset.param]: list });
    } else if (t === epsInput.input) setState({ eps: t.value });
    else if (t === momentumInput.input) setState({ momentum: t.value });
    else if (t === randomMean) setState({ randomMean: t.value });
    else if (t === randomSpread) setState({ randomSpread: t.value });
  });

  container.addEventListener("change", (e) => {
    const t = e.target;
    if (t === batchInput || t === featuresInput) {
      const rows = Number(batchInput.value), features = Number(featuresInput.value);
      const okRows = Number.isInteger(rows) && rows >= LIMITS.minRows && rows <= LIMITS.maxRows;
      const okFeatures = Number.isInteger(features) && features >= LIMITS.minFeatures && features <= LIMITS.maxFeatures;
      for (const [input, ok] of [[batchInput, okRows], [featuresInput, okFeatures]]) {
        if (ok) input.removeAttribute("aria-invalid"); else input.setAttribute("aria-invalid", "true");
      }
      if (!okRows || !okFeatures) {
        shapeMsg.textContent = `Batch size must be ${LIMITS.minRows}–${LIMITS.maxRows} and features ${LIMITS.minFeatures}–${LIMITS.maxFeatures}.`;
        return;
      }
      shapeMsg.textContent = "";
      const current = shapeOf(state);
      if (rows === current.rows && features === current.features) return;
      const fill = randomFill(rows, features);
      state = resize(state, rows, features, (i, k) => fill[i][k]);
      buildInputs();
      refresh();
    } else if (t.name === convName) {
      const c = CONVENTIONS[t.value];
      setState({ convention: t.value, eps: c.eps, momentum: c.momentum }, { rebuild: true });
      convNote.textContent = t.value === "keras"
        ? "Keras: eps 0.001 and momentum 0.99, read as the share of the old estimate kept (PyTorch's momentum 0.01); its moving variance uses the biased batch variance."
        : "PyTorch: eps 1e-5 and momentum 0.1, the share of the new batch; its running variance uses the unbiased batch variance (× m/(m − 1)).";
    } else if (t.name === id("dys")) {
      setState({ dySource: t.value }, { rebuildDy: true });
    }
  });

  container.addEventListener("paste", (e) => {
    const t = e.target;
    if (t.dataset?.grid !== "x") return;
    const text = e.clipboardData?.getData("text") ?? "";
    if (!isTablePaste(text)) return;
    e.preventDefault();
    pasteTable(parsePastedTable(text), Number(t.dataset.i), Number(t.dataset.k));
  });

  container.addEventListener("keydown", (e) => {
    const t = e.target;
    if (!t.dataset?.grid || !["ArrowUp", "ArrowDown", "Enter"].includes(e.key)) return;
    const di = e.key === "ArrowUp" ? -1 : 1;
    const next = container.querySelector(`input[data-grid="${t.dataset.grid}"][data-i="${Number(t.dataset.i) + di}"][data-k="${t.dataset.k}"]`);
    if (next) { e.preventDefault(); next.focus(); next.select(); }
  });

  function pasteTable(table, i0, k0) {
    const { rows, features } = shapeOf(state);
    const width = Math.max(...table.map((r) => r.length));
    const newRows = Math.min(LIMITS.maxRows, Math.max(rows, i0 + table.length));
    const newFeatures = Math.min(LIMITS.maxFeatures, Math.max(features, k0 + width));
    if (newRows !== rows || newFeatures !== features) state = resize(state, newRows, newFeatures, () => "0");
    const cells = state.cells.map((r) => r.slice());
    table.forEach((row, di) => row.forEach((text, dk) => {
      if (i0 + di < newRows && k0 + dk < newFeatures) cells[i0 + di][k0 + dk] = text;
    }));
    state = { ...state, cells };
    buildInputs();
    inputStatus.textContent = `Pasted ${table.length} × ${width} values${table.length + i0 > LIMITS.maxRows || width + k0 > LIMITS.maxFeatures ? " (cut to the 16 × 8 limit)" : ""}.`;
    refresh();
  }

  function randomParams() {
    const mean = parseNumber(state.randomMean), spread = parseNumber(state.randomSpread);
    return { mean: mean.value ?? 0, spread: Math.abs(spread.value ?? 1), ok: !mean.error && !spread.error };
  }

  function randomFill(rows, features) {
    const { mean, spread } = randomParams();
    return randomBatch(nextSeed(state.seed + rows * 31 + features), rows, features, mean, spread);
  }

  randomButton.addEventListener("click", () => {
    const { mean, spread, ok } = randomParams();
    if (!ok) { inputStatus.textContent = "Random mean and spread must be numbers."; return; }
    const seed = nextSeed(state.seed);
    const { rows, features } = shapeOf(state);
    setState({ seed, cells: randomBatch(seed, rows, features, mean, spread) }, { rebuild: true });
    inputStatus.textContent = `New random batch: mean ${mean}, spread ${spread}.`;
  });

  trainButton.addEventListener("click", () => setState({ mode: "train" }));
  evalButton.addEventListener("click", () => setState({ mode: "eval" }));
  nextButton.addEventListener("click", () => {
    const last = (state.phase === "forward" ? FORWARD_STEPS : BACKWARD_STEPS) - 1;
    if (state.step < last) navigate({ step: state.step + 1 });
  });
  prevButton.addEventListener("click", () => {
    if (state.step > 0) navigate({ step: state.step - 1 });
    else if (state.phase === "backward") navigate({ phase: "forward", step: FORWARD_STEPS - 1 }, { rebuildDy: true });
  });
  resetButton.addEventListener("click", () => navigate({ phase: "forward", step: 0 }, { rebuildDy: true }));
  backwardButton.addEventListener("click", () => navigate({ phase: "backward", step: 0 }, { rebuildDy: true }));
  earlier.addEventListener("toggle", () => renderEarlier());

  nextBatchButton.addEventListener("click", () => {
    if (!inputs.forwardOk || inputs.rows < 2) return;
    const { mean, spread } = randomParams();
    const seed = nextSeed(state.seed);
    const { rows, features } = shapeOf(state);
    const fed = Array.from({ length: rows }, (_, i) => Array.from(inputs.x.subarray(i * features, (i + 1) * features)));
    setState({ history: [...state.history, fed], seed, cells: randomBatch(seed, rows, features, mean, spread) }, { rebuild: true });
    runningStatus.textContent += " New batch drawn.";
  });
  forgetButton.addEventListener("click", () => setState({ history: [] }));

  copyLinkButton?.addEventListener("click", async () => {
    exportStatus.textContent = (await copyText(location.href)) ? "Link copied." : "Copy the address bar: it holds the whole view.";
  });
  copyTorchButton.addEventListener("click", async () => {
    snippetBox.open = true;
    snippet.textContent = pytorchSnippet(state, inputs);
    exportStatus.textContent = (await copyText(snippet.textContent)) ? "PyTorch snippet copied." : "The snippet is shown below: select it and copy.";
  });
  snippetBox.addEventListener("toggle", () => renderExport());
  csvButton.addEventListener("click", () => {
    const url = URL.createObjectURL(new Blob([intermediatesCsv(view)], { type: "text/csv" }));
    const a = h("a", { href: url, download: "batchnorm-intermediates.csv", hidden: true });
    container.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    exportStatus.textContent = "CSV downloaded.";
  });

  if (syncUrl) window.addEventListener("hashchange", onHashChange);

  buildInputs();
  refresh();

  return {
    getState: () => structuredClone(state),
    setTheme(theme) {
      if (theme) container.dataset.theme = theme; else delete container.dataset.theme;
    },
    destroy() {
      if (syncUrl) window.removeEventListener("hashchange", onHashChange);
      window.removeEventListener("resize", remark);
      for (const node of [style, links, container]) node?.remove();
    },
  };
}

function initialState(options, syncUrl) {
  if (syncUrl && typeof location !== "undefined") {
    const fromUrl = decodeState(location.hash);
    if (fromUrl) return fromUrl;
  }
  return stateFromOptions(options);
}

// Clipboard write; false where the browser refuses (no permission, insecure
// origin), and the caller then shows the text to copy by hand.
async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
