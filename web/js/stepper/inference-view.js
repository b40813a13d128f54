// The "Inference" card: batch norm in eval mode as one linear map per
// feature (eval-map-view.js), and folded into a Linear layer in front of it
// (fold-view.js), with the Linear layer's weights as inputs and a "Random
// weights" button, and "Download the fold as CSV" (fold-export.js foldCsv). createInferenceView(ui, { prefix, state, update })
// returns { card, show(current, how) }; current is mount.js's { state, view,
// inference, linear } (numbers from fold-compute.js), how its update kind.
import { h, download } from "../dom.js";
import { markErrors } from "./grid-view.js";
import { randomizeLinear } from "./fold-compute.js";
import { renderEvalMap } from "./eval-map-view.js";
import { foldIntro, linearGrid, renderFold } from "./fold-view.js";
import { foldCsv } from "./fold-export.js";

export function createInferenceView(ui, { prefix, state, update }) {
  const headingId = `${prefix}-h-inference`;
  const randomButton = h("button", { type: "button" }, "Random weights");
  const csvButton = h("button", { type: "button", disabled: true,
    title: "a, b, W, b_lin, W′, b′ and both paths' outputs on the batch, one number a line" }, "Download the fold as CSV");
  const gridWrap = h("div", { class: "scroll", role: "region", tabindex: "0", "aria-label": "Linear layer weights and bias" });
  const mapArea = h("div", { class: "eval-map" });
  const foldArea = h("div", { class: "fold" });
  const card = h("section", { class: "card card-inference", "aria-labelledby": headingId },
    h("h2", { id: headingId }, "4. Inference: batch norm as one linear map"),
    mapArea, ...foldIntro(), gridWrap, h("div", { class: "row-controls" }, randomButton, csvButton), foldArea);
  randomButton.addEventListener("click", () => update(randomizeLinear(state()), "rebuild"));
  let built = false;
  let shown = null;   // { view, inference } of a fold on screen, else null
  csvButton.addEventListener("click", () => {
    if (shown) download(new Blob([foldCsv(shown.view, shown.inference)], { type: "text/csv" }), `batchnorm-fold-${shown.view.mode}.csv`, card);
  });

  function show(current, how) {
    if (how === "navigate" || how === "presenter") return;
    const { state: s, view, inference, linear } = current;
    if (how === "rebuild" || !built) { gridWrap.replaceChildren(linearGrid(prefix, s)); built = true; }
    markErrors(card, linear.errors);
    shown = view && inference && !inference.failure && !inference.fold.errors ? { view, inference } : null;
    csvButton.disabled = !shown;
    if (!view || !inference) {
      mapArea.replaceChildren(h("p", { class: "problem" }, view?.error
        ? "Nothing is computed: the core refused this batch in training (see Step through). Eval computes it."
        : "Nothing is computed until the marked inputs of the batch are fixed."));
      foldArea.replaceChildren();
      return;
    }
    if (inference.failure) {
      mapArea.replaceChildren(h("p", { class: "problem" }, `The core refused this fold: ${inference.failure}`));
      foldArea.replaceChildren();
      return;
    }
    mapArea.replaceChildren(...renderEvalMap(view, inference).filter(Boolean));
    foldArea.replaceChildren(...[].concat(renderFold(view, inference)).flat().filter(Boolean));
  }

  return { card, show };
}
