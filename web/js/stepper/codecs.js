// The text forms of the stepper's fields: one form for both the URL and the
// <bn-stepper> attributes. Each codec turns text (or an already typed value)
// into the field's value with `read`, or returns undefined when it cannot,
// and writes the value back as text with `write`; read(write(v)) is v.
//
// Grids are rows split by ";" and cells by ","; lists are cells split by ",".
// A cell's text is written percent-encoded where it holds one of % , ; | or
// white space ("1,5" -> "1%2C5", " 2" -> "%202"), so whatever was typed comes
// back exactly; reading trims raw white space around a cell (so "1, 2; 3, 5"
// reads as a person means it) and decodes the %-escapes.

const ESCAPED = /[%,;|\s]/gu;
const ESCAPES = /(?:%[0-9A-Fa-f]{2})+/g;

export function escapeCell(text) {
  return String(text).replace(ESCAPED, (c) => encodeURIComponent(c));
}

export function unescapeCell(text) {
  return String(text).trim().replace(ESCAPES, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;   // not UTF-8: keep the text as written
    }
  });
}

export const text = {
  read: (v) => (typeof v === "string" ? v : typeof v === "number" && Number.isFinite(v) ? String(v) : undefined),
  write: (v) => v,
};

export const integer = {
  read(v) {
    const n = typeof v === "string" && /^\s*[+-]?\d+\s*$/.test(v) ? Number(v) : v;
    return Number.isInteger(n) ? n : undefined;
  },
  write: (v) => String(v),
};

export const flag = {
  read: (v) => (v === true || v === "true" || v === "" || v === "1" ? true : v === false || v === "false" || v === "0" ? false : undefined),
  write: (v) => (v ? "true" : "false"),
};

export function choice(choices) {
  return { choices, read: (v) => (choices.includes(v) ? v : undefined), write: (v) => v };
}

// ["1", "2"] <-> "1,2"
export const list = {
  read(v) {
    if (typeof v === "string") return v.split(",").map(unescapeCell);
    return Array.isArray(v) ? v.map(String) : undefined;
  },
  write: (v) => v.map(escapeCell).join(","),
};

// [["1", "2"], ["3", "5"]] <-> "1,2;3,5"
export const grid = {
  read(v) {
    if (typeof v === "string") return v.split(";").map(list.read);
    return Array.isArray(v) && v.length && v.every(Array.isArray) ? v.map((row) => row.map(String)) : undefined;
  },
  write: (v) => v.map(list.write).join(";"),
};

// Batches of numbers: [[[1, 2], [3, 4]], …] <-> "1,2;3,4|…" (full precision).
export const batches = {
  read(v) {
    if (typeof v === "string") return v === "" ? [] : v.split("|").map((b) => b.split(";").map((r) => r.split(",").map(Number)));
    return Array.isArray(v) ? v : undefined;
  },
  write: (v) => v.map((b) => b.map((r) => r.map(String).join(",")).join(";")).join("|"),
};
