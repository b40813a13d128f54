// The lab's gradient check (lab-gradcheck.js): the core's dx against central
// differences of a float64 forward of the same layer, with the same hooks as
// the batch's check (data-check="relError" / "verdict" / "fd").
import { h } from "../dom.js";
import { AGREE_BELOW, FLOOR, STEP } from "./gradcheck.js";
import { labGradientCheck } from "./lab-gradcheck.js";
import { fmt, num, plain } from "./numbers.js";
import { NORMS } from "./norm-axes.js";
import { cellAt } from "./lab-steps-view.js";

export function labCheckView(result) {
  const check = labGradientCheck(result);
  const worst = check.perStat.reduce((a, b) => (b.relError > a.relError ? b : a));
  const rows = Array.from(result.dx, (dx, j) => {
    const at = cellAt(result.shape, j);
    return h("tr", {}, h("th", { scope: "row" }, `n ${at.sample}, c ${at.channel}, h ${at.h}, w ${at.w}`),
      h("td", {}, num(dx, { quantity: "dx", at })), h("td", {}, num(check.fd[j], { quantity: "fd", attr: "data-check", at })));
  });
  return [
    h("p", {}, `${NORMS[result.norm].label}: every x nudged by ±h (h = ${plain(STEP)} σ of its statistic), a float64 forward of the same formulas from the float32 x the core stores, and (L(x + h) − L(x − h)) / 2h compared with the core's dx.`),
    h("p", { role: "status" }, "Relative error: ", h("span", { class: "num", "data-check": "relError", "data-value": String(check.relError) }, fmt(check.relError)),
      ` (statistic ${worst.stat}, the worst). `,
      h("strong", { "data-check": "verdict", "data-value": check.agree ? "agree" : "disagree" }, check.agree ? "They agree" : "They disagree"),
      check.agree ? `: below ${plain(AGREE_BELOW)}.` : `: ${plain(AGREE_BELOW)} or more is more than float32 rounding.`),
    h("p", { class: "aside" }, `Per statistic: ‖dx − estimate‖ / max(‖estimate‖, ${plain(FLOOR)} · ‖dy‖ / σ), as in the batch's check.`),
    h("div", { class: "scroll", role: "region", tabindex: "0", "aria-label": "lab dx and its estimate" },
      h("table", { class: "cmp" }, h("caption", {}, "dx from the core and the float64 estimate"),
        h("thead", {}, h("tr", {}, ["cell", "dx (core)", "estimate"].map((t) => h("th", { scope: "col" }, t)))), h("tbody", {}, rows))),
  ];
}
