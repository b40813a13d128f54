// The stepper's CSV exports (export.js, fold-export.js): a line per entry of
// arr (none when arr is null) into out: the quantity `name`, the columns
// where(index) gives (their text, commas included), the value at full
// precision (String(v) reads back as the same number).
export const csvLines = (out, name, arr, where) => arr && Array.from(arr).forEach((v, j) => out.push(`${name},${where(j)},${v}`));
