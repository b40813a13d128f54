// The gradient check under the last backward step: a button that estimates
// dx by finite differences of a float64 forward (gradcheck.js) and shows,
// per feature, the core's dx beside the estimate, the relative error
// (data-check="relError", full value in data-value) and the verdict
// (data-check="verdict": "agree" | "disagree").
import { h } from "../dom.js";
import { AGREE_BELOW, FLOOR, STEP, gradientCheck } from "./gradcheck.js";
import { fmt, num, plain } from "./numbers.js";
import { column, f } from "./step-parts.js";

export function gradientCheckView(view, inputs) {
  const result = h("div", { class: "check-result", role: "status" });
  const button = h("button", { type: "button" }, "Check gradient");
  button.addEventListener("click", () => result.replaceChildren(...report(view, gradientCheck(view, inputs))));
  return [h("p", {}, `Finite differences: nudge each x by ±h (h = ${plain(STEP)} σ of its feature), run a float64 forward of the same formulas from the float32 inputs the core stores, and compare (L(x + h) − L(x − h)) / 2h with the core's dx.`),
    button, result];
}

function report(view, check) {
  const { relError, agree, fd, worst } = check;
  const rows = Array.from({ length: view.features }, (_, k) => column(view, k).map((j, i) => h("tr", {},
    h("th", { scope: "row" }, `${f(k)}, ${i + 1}`),
    h("td", {}, num(view.dx[j], { quantity: "dx", feature: f(k), row: i + 1 })),
    h("td", {}, num(fd[j], { quantity: "fd", attr: "data-check", feature: f(k), row: i + 1 })))));
  const table = h("div", { class: "scroll", role: "region", tabindex: "0", "aria-label": "dx and its estimate" },
    h("table", { class: "cmp" }, h("caption", {}, "dx from the core and the float64 estimate"),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "feature, row"), h("th", { scope: "col" }, "dx (core)"), h("th", { scope: "col" }, "estimate"))),
      h("tbody", {}, rows)));
  const lines = [
    h("p", {}, "Relative error: ", h("span", { class: "num", "data-check": "relError", "data-value": String(relError) }, fmt(relError)),
      ` (feature ${worst.feature}, the worst). `,
      h("strong", { "data-check": "verdict", "data-value": agree ? "agree" : "disagree" }, agree ? "They agree" : "They disagree"),
      agree ? `: below ${plain(AGREE_BELOW)}, the core's float32 dx matches the formulas.` : `: ${plain(AGREE_BELOW)} or more is more than float32 rounding.`),
    h("p", { class: "aside" }, `Relative error of feature k: ‖dx − estimate‖ / max(‖estimate‖, ${plain(FLOOR)} · |γ| ‖dy‖ / σ). |γ| ‖dy‖ / σ is how large dx is when nothing cancels; float32 rounds the core's dx by a small multiple of 2⁻²⁴ of it, so where dx itself is close to 0 the floor keeps that rounding from reading as a wrong formula.`),
    table,
  ];
  if (view.mode === "train" && view.rows === 2) {
    lines.push(h("p", { class: "note", "data-note": "two-rows-check" }, "dx ≈ 0 here, and that is right: with two rows x̂ = ±σ/√(σ² + ε) ≈ ±1 whatever the data (see the note above), so the estimate is close to 0 too, and the error is judged against the floor."));
  }
  return lines;
}
