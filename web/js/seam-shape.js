// Shapes at the seam (the layers' forward(x, shape), docs/api.md "More
// normalization layers"): read once and checked before any call into
// WebAssembly, with the messages the core gives for the same mistakes.
import { fail, describe } from "./validate.js";
import { entryCount } from "./seam-args.js";

// A layer's input shape (an array of 1 to 8 integers >= 1, read once)
// whose element count one WebAssembly buffer holds: { dims, total }.
export const MAX_RANK = 8;   // bn::kMaxRank
export function readShape(sizes, value) {
  const shown = "an array of integers like [N, C, H, W]";
  if (!Array.isArray(value)) fail(`shape must be ${shown}, got ${describe(value)}`);
  const length = value.length;
  if (length < 1 || length > MAX_RANK) fail(`shape must have 1 to ${MAX_RANK} dimensions, got ${length}`);
  const dims = new Array(length);
  let total = 1;
  for (let i = 0; i < length; i++) {
    const d = value[i];
    if (typeof d !== "number" || !Number.isInteger(d) || d < 1) fail(`shape[${i}] must be an integer >= 1, got ${describe(d)}`);
    dims[i] = d;
    total *= d;
  }
  if (total > sizes.maxElements()) {
    fail(`shape ${shapeText(dims)} has ${total} elements: one WebAssembly buffer holds at most ${sizes.maxElements()} values`);
  }
  return { dims, total };
}

export const shapeText = (dims) => `[${dims.join(", ")}]`;

// x (after snapshot()) must have as many entries as shape has elements; the
// message names shape (a detached or empty array: checkInput() says why).
export function checkShapeLength(value, dims, total) {
  const got = entryCount(value);
  if (got !== undefined && got !== 0 && got !== total) {
    fail(`shape ${shapeText(dims)} has ${total} elements but x has ${got}`);
  }
}
