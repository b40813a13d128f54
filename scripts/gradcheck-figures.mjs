// The stepper's gradient check on the cases of issue 12, before and after:
// "before" is the check the page had (finite differences of the core's own
// float32 forward, h = max(1% of σ, 16 float32 steps of x), one relative
// error ‖dx − fd‖ / max(‖dx‖, ‖fd‖) over the whole batch, "agree" below
// 1e−2); "after" is web/js/stepper/gradcheck.js (float64 forward from the
// stored float32 inputs, h = 1e−3 σ, a floor of 1e−4 |γ| ‖dy‖ / σ).
//
//   node scripts/gradcheck-figures.mjs
//
// tests/js/stepper-gradcheck.test.mjs runs the same cases.
import { fileURLToPath } from "node:url";
import { loadBN } from "../web/js/bn.js";
import { normalize } from "../web/js/stepper/state.js";
import { readInputs } from "../web/js/stepper/inputs.js";
import { computeView } from "../web/js/stepper/compute.js";
import { gradientCheck } from "../web/js/stepper/gradcheck.js";

// Each case as the page's state (the URL's fields), at the last backward step.
export const CASES = {
  "large offset (x = 1000, 1000.001; dy = 1, −0.2)": { cells: [["1000"], ["1000.001"]], dy: [["1"], ["-0.2"]] },
  "batch 2 (x = 1,2; 3,5; default dy)": { cells: [["1", "2"], ["3", "5"]] },
  "x ≈ 1e5 (100000.1, 100000.2, 100000.3)": { cells: [["100000.1"], ["100000.2"], ["100000.3"]] },
  "default 4 × 2 batch": {},
  "constant feature (dx = ±dy/√ε)": { cells: [["1", "5"], ["2", "5"], ["3", "5"]] },
  "eval, one batch fed": { mode: "eval" },
  "dy from the loss": { dySource: "loss", target: [["1", "0"], ["0", "1"], ["0", "0"], ["1", "1"]] },
};

export function viewFor(bn, fields) {
  const state = normalize({ ...fields, phase: "backward", step: 6 });
  const inputs = readInputs(state);
  return { view: computeView(bn, state, inputs), inputs };
}

// The page's earlier check (float32, the core's forward), kept here as the control.
export function float32Check(bn, view, inputs) {
  const { rows, features, x, gamma, beta, eps } = view;
  const layer = new bn.BatchNorm1d(features, { eps, momentum: 0.1 });
  try {
    layer.setParams({ gamma, beta });
    if (view.mode === "eval") {
      layer.setParams({ runningMean: view.trace.mean, runningVar: view.trace.var });
      layer.eval();
    }
    const loss = (xv) => {
      const y = layer.forward(xv, rows);
      let s = 0;
      for (let j = 0; j < y.length; j++) s += inputs.target ? 0.5 * (y[j] - inputs.target[j]) ** 2 : view.dy[j] * y[j];
      return s;
    };
    const xf = Float32Array.from(x);
    const fd = new Float64Array(xf.length);
    for (let j = 0; j < xf.length; j++) {
      const x0 = xf[j];
      const h = Math.max(1e-2 * view.trace.std[j % features], 16 * Math.abs(x0) * 2 ** -23);
      const xp = Math.fround(x0 + h), xm = Math.fround(x0 - h);
      xf[j] = xp; const lp = loss(xf);
      xf[j] = xm; const lm = loss(xf);
      xf[j] = x0;
      fd[j] = (lp - lm) / (xp - xm);
    }
    let diff = 0, a = 0, b = 0;
    for (let j = 0; j < fd.length; j++) { diff += (view.dx[j] - fd[j]) ** 2; a += view.dx[j] ** 2; b += fd[j] ** 2; }
    const scale = Math.sqrt(Math.max(a, b));
    const relError = scale === 0 ? 0 : Math.sqrt(diff) / scale;
    return { fd, relError, agree: relError < 1e-2 };
  } finally {
    layer.dispose();
  }
}

async function main() {
  const bn = await loadBN();
  const g = (v) => v.toPrecision(3);
  console.log("case | core dx (row 1, feature 1) | before: rel. error, verdict | after: rel. error, verdict | after: estimate (row 1)");
  for (const [name, fields] of Object.entries(CASES)) {
    const { view, inputs } = viewFor(bn, fields);
    const before = float32Check(bn, view, inputs), after = gradientCheck(view, inputs);
    console.log(`${name} | ${view.dx[0].toPrecision(6)} | ${g(before.relError)}, ${before.agree ? "agree" : "disagree"} | ` +
      `${g(after.relError)}, ${after.agree ? "agree" : "disagree"} | ${after.fd[0].toPrecision(6)}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
