// What each control of the normalization lab does, as pure functions of the
// state (as transitions.js for the batch): each returns the next state.
import { normalize } from "./state.js";
import { IMAGE_LIMITS, patternImage, randomImage, PATTERNS } from "./lab-state.js";
import { nextSeed } from "./random.js";

export const SHAPE_CONTROLS = ["Samples", "Channels", "Height", "Width"];

// The Normalization choice (transitions.js: its control is in the input card).
export { setNorm } from "./transitions.js";

// Groups, Samples, Channels, Height, Width: an integer 1–4, else a message
// and nothing changes.
export function checkDimension(value) {
  const ok = Number.isInteger(value) && value >= IMAGE_LIMITS.min && value <= IMAGE_LIMITS.max;
  return ok ? null : `Must be a whole number from ${IMAGE_LIMITS.min} to ${IMAGE_LIMITS.max}.`;
}

export function setGroups(state, groups) {
  return checkDimension(groups) ? state : normalize({ ...state, groups, stat: 1 });
}

// axis 0–3 (N, C, H, W). Typed cells beyond the new shape are kept.
export function resizeImage(state, axis, value) {
  if (checkDimension(value)) return state;
  const imageShape = state.imageShape.slice();
  imageShape[axis] = value;
  return normalize({ ...state, imageShape, stat: 1 });
}

export function editImageCell(state, n, c, h, w, text) {
  const image = structuredClone(state.image);
  image[n][c][h][w] = String(text);
  return { ...state, image };
}

// A new random image batch of the current shape (seeded: the view stays a link).
export function randomizeImage(state) {
  const imageSeed = nextSeed(state.imageSeed);
  return normalize({ ...state, imageSeed, image: randomImage(imageSeed, state.imageShape) });
}

export function applyPattern(state, name) {
  return PATTERNS[name] ? normalize({ ...state, image: patternImage(name, state.imageShape) }) : state;
}

export const chooseStat = (state, stat) => normalize({ ...state, stat });
export const setProbe = (state, probe) => normalize({ ...state, probe });
