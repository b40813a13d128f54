// "Does my sample depend on the others?": every other sample's numbers are
// changed (x → 2x + 3) and each layer's output for the watched sample is
// compared, with the numbers (lab-compute.js dependence()). BatchNorm's
// statistics cross samples, so its output moves; LayerNorm, GroupNorm and
// InstanceNorm normalize each sample alone, so theirs stays exactly the same.
import { h } from "../dom.js";
import { num } from "./numbers.js";
import { NORMS } from "./norm-axes.js";

const SHOWN = 4;   // cells of the watched sample shown before and after

export function dependenceView(results, probe) {
  if (!results) return [];
  const rows = results.map((r) => {
    const label = NORMS[r.norm].label;
    if (r.error) {
      return h("tr", { "data-dependence": r.norm }, h("th", { scope: "row" }, label), h("td", { colspan: 3 }, `Not computed: ${r.error}`));
    }
    const cells = (ys) => Array.from(ys.slice(0, SHOWN), (v, i) => [i ? ", " : "", num(v, { quantity: "y", at: { sample: probe } })]);
    return h("tr", { "data-dependence": r.norm, "data-changed": String(r.changed) },
      h("th", { scope: "row" }, label),
      h("td", {}, h("strong", {}, r.changed ? "yes" : "no")),
      h("td", {}, "max |Δy| = ", num(r.maxChange, { quantity: "maxChange", attr: "data-dependence-change" })),
      h("td", {}, cells(r.before), " → ", cells(r.after)));
  });
  return [
    h("table", { class: "rowtable dependence" },
      h("caption", {}, `Sample ${probe}'s output y when every other sample's x becomes 2x + 3`),
      h("thead", {}, h("tr", {}, ["layer", "changed?", "largest change", `first ${SHOWN} values of y: before → after`]
        .map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, rows)),
    h("p", { class: "aside" }, "BatchNorm averages each channel over the whole batch, so the other samples move this sample's mean and variance, and its output (in training; in eval the running statistics are fixed). LayerNorm, GroupNorm and InstanceNorm take their statistics from this sample alone: its output does not change at all, not even in the last digit."),
  ];
}
