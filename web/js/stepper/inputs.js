// Turns the state's typed text into numbers, collecting one message per bad
// field (keyed "x:i:k", "gamma:k", "beta:k", "eps", "momentum", "dy:i:k",
// "target:i:k"; i and k from 0). Nothing is computed from a bad field.
import { parseEps, parseMomentum, parseNumber } from "./cells.js";
import { shapeOf } from "./state.js";

export function readInputs(state) {
  const { rows, features } = shapeOf(state);
  const errors = new Map();
  const grid = (name, cells) => {
    const out = new Float64Array(rows * features);
    cells.forEach((row, i) => row.forEach((text, k) => {
      const r = parseNumber(text);
      if (r.error) errors.set(`${name}:${i}:${k}`, r.error);
      else out[i * features + k] = r.value;
    }));
    return out;
  };
  const perFeature = (name, list) => list.map((text, k) => {
    const r = parseNumber(text);
    if (r.error) errors.set(`${name}:${k}`, r.error);
    return r.value ?? NaN;
  });
  const scalar = (name, text, parse) => {
    const r = parse(text);
    if (r.error) errors.set(name, r.error);
    return r.value ?? NaN;
  };

  const x = grid("x", state.cells);
  const gamma = perFeature("gamma", state.gamma);
  const beta = perFeature("beta", state.beta);
  const eps = scalar("eps", state.eps, parseEps);
  const momentum = scalar("momentum", state.momentum, parseMomentum);
  const forwardOk = errors.size === 0;
  const dy = state.dySource === "manual" ? grid("dy", state.dy) : null;
  const target = state.dySource === "loss" ? grid("target", state.target) : null;
  const backwardOk = errors.size === 0;
  return { rows, features, x, gamma, beta, eps, momentum, dy, target, errors, forwardOk, backwardOk };
}
