// Turns the state's typed text into numbers, collecting one message per bad
// field (keyed "x:i:k", "gamma:k", "beta:k", "eps", "momentum", "dy:i:k",
// "target:i:k"; i and k from 0). Nothing is computed from a bad field. Only
// the visible part of the state (its batch × features) is read.
import { parseEps, parseMomentum, parseNumber } from "./cells.js";
import { shapeOf, visible } from "./state.js";

export function readInputs(state) {
  const { rows, features } = shapeOf(state);
  const shown = visible(state);
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

  const x = grid("x", shown.cells);
  const gamma = perFeature("gamma", shown.gamma);
  const beta = perFeature("beta", shown.beta);
  const eps = scalar("eps", state.eps, parseEps);
  const momentum = scalar("momentum", state.momentum, parseMomentum);
  const forwardOk = errors.size === 0;
  const dy = state.dySource === "manual" ? grid("dy", shown.dy) : null;
  const target = state.dySource === "loss" ? grid("target", shown.target) : null;
  const backwardOk = errors.size === 0;
  return { rows, features, x, gamma, beta, eps, momentum, dy, target, errors, forwardOk, backwardOk };
}

// "x row 2 feature 1", "gamma feature 3", "eps": an error key as the page names the input.
export function describeKey(key) {
  const [name, a, b] = key.split(":");
  if (name === "x" || name === "dy" || name === "target") return `${name} row ${Number(a) + 1} feature ${Number(b) + 1}`;
  if (name === "gamma" || name === "beta") return `${name} feature ${Number(a) + 1}`;
  return name;
}
