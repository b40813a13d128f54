// The stepper's sections past the first step, loaded by mount.js with
// import() once the first number is on screen (so the page fetches,
// compiles and renders none of them before): the inference card (eval as
// one linear map, the Linear fold; numbers from fold-compute.js), the
// normalization lab card with its Conv2d fold, Share and export (Copy as
// PyTorch, CSV), printing every step, and the backward pass's steps with
// the gradient check (for steps-view.js). mountExtras({ ui, prefix, bn,
// state, update, current }) puts their elements in the skeleton and returns
//   compute(state, view) -> { linear, inference }   the inference card's numbers
//   show(current, how)   the views, after mount.js's update(next, how)
//   showLab(state, how)  the lab's views alone ("lab…" updates)
//   showExport()         the export buttons, after every compute
//   backward             { BACKWARD, gradientCheckView } for steps-view.js
//   destroy()
import { computeInference, readLinear } from "./fold-compute.js";
import { createInferenceView } from "./inference-view.js";
import { createLabView } from "./lab-view.js";
import { createConvFoldView } from "./conv-fold-view.js";
import { createExportView } from "./export-view.js";
import { wirePrint } from "./print-view.js";
import { BACKWARD } from "./steps-backward.js";
import { gradientCheckView } from "./gradcheck-view.js";

export function mountExtras({ ui, prefix, bn, state, update, current }) {
  const inferenceView = createInferenceView(ui, { prefix, state, update });
  ui.container.querySelector(".card-export").before(inferenceView.card);
  const labView = createLabView({ prefix, bn, state, update });
  ui.container.querySelector(".card-steps").after(labView.card);
  const convFoldView = createConvFoldView({ prefix, bn, state, update });
  labView.card.append(convFoldView.section);
  const exportView = createExportView(ui, current);
  const unwirePrint = wirePrint(ui, current);

  function showLab(s, how) {
    labView.show(s, how);
    convFoldView.show(s, how);
  }

  return {
    compute(s, view) {
      const linear = readLinear(s);
      return { linear, inference: view && !view.error ? computeInference(bn, view, linear) : null };
    },
    show(now, how) {
      inferenceView.show(now, how);
      showLab(now.state, how);
    },
    showLab,
    showExport: () => exportView.show(),
    backward: { BACKWARD, gradientCheckView },
    destroy: unwirePrint,
  };
}
