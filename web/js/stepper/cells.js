// Reading what the user typed: one cell, a parameter, a pasted table.
// Every check returns { value } or { error } with a message a student can act on.

const FLOAT32_MAX = 3.4028234663852886e38;

// A grid cell or a per-feature parameter: a finite number that fits float32
// (the WASM core computes in float32).
export function parseNumber(text) {
  const s = String(text ?? "").trim().replace(/\u2212/g, "-");
  if (s === "") return { error: "Empty: type a number." };
  // Number("") is 0 and Number("0x10") is 16: accept plain decimal notation only.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) {
    if (/^[+-]?(inf|infinity|∞)$/i.test(s)) return { error: "Infinity is not a number the layer can use." };
    return { error: `“${String(text).trim().slice(0, 20)}” is not a number.` };
  }
  const value = Number(s);
  if (!Number.isFinite(value) || Math.abs(value) > FLOAT32_MAX) {
    return { error: "Too large: beyond float32 (about 3.4e38), it would become Infinity." };
  }
  return { value };
}

export function parseEps(text) {
  const r = parseNumber(text);
  if (r.error) return r;
  if (!(r.value > 0)) return { error: "eps must be greater than 0 (it keeps the division finite)." };
  return r;
}

export function parseMomentum(text) {
  const r = parseNumber(text);
  if (r.error) return r;
  if (r.value < 0 || r.value > 1) return { error: "momentum must be between 0 and 1." };
  return r;
}

// Text pasted from a spreadsheet or CSV: rows by line, cells by tab, comma or
// semicolon (tab wins when present). Empty trailing lines are dropped.
export function parsePastedTable(text) {
  const lines = String(text).replace(/\r\n?/g, "\n").split("\n");
  while (lines.length && lines[lines.length - 1].trim() === "") lines.pop();
  const sep = text.includes("\t") ? "\t" : /[,;]/.test(text) ? /[,;]/ : /\s+/;
  return lines.map((line) => line.trim().split(sep).map((c) => c.trim()));
}

// True when pasted text is more than one cell (so the paste should fill the grid).
export function isTablePaste(text) {
  const t = String(text).trim();
  return /[\t\n,;]/.test(t) || /\S\s+\S/.test(t);
}
