// tex() and formulaMarkup() (tex.js) for the formulas of the sections loaded
// after the first number (LATER_FORMULAS of formulas.js: the backward pass,
// the normalization lab, the inference card), pre-rendered into
// formulas-later.generated.js.
import { RENDERED, INLINE } from "./formulas-later.generated.js";
import { texFrom } from "./tex.js";

export const { formulaMarkup, tex } = texFrom(RENDERED, INLINE, "LATER_FORMULAS");
