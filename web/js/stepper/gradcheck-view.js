// The gradient check under the last backward step: a button that runs the
// finite-difference estimate of dx in the core (compute.js gradientCheck)
// and shows how far it is from the core's dx. The relative error carries
// data-check="relError" and its full value in data-value.
import { h } from "../dom.js";
import { gradientCheck } from "./compute.js";
import { fmt } from "./numbers.js";

export function gradientCheckView(bn, view, inputs) {
  const result = h("p", { class: "check-result", role: "status" });
  const button = h("button", { type: "button" }, "Check gradient");
  button.addEventListener("click", () => {
    const { relError, fd } = gradientCheck(bn, view, inputs);
    const maxFd = fd.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    result.replaceChildren("Relative error between dx and the finite-difference estimate: ",
      h("span", { "data-check": "relError", "data-value": String(relError) }, fmt(relError)),
      `. ${relError < 1e-2 ? "They agree" : "They disagree"}: the core computes in float32, so anything up to about 1e−3 means the formulas match (largest |estimate| ${fmt(maxFd)}).`);
  });
  return [h("p", {}, "Finite differences: nudge each x by ±h, run the forward pass in the core, and compare (L(x + h) − L(x − h)) / 2h with dx."),
    button, result];
}
