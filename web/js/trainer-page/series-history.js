// A history of values against x (training steps): one x array and one
// column per key, for the line charts and the CSV export. Non-finite
// values are kept as null (a gap). A point at the same x as the last one
// replaces it; past maxPoints every other point is dropped, so a long run
// takes bounded memory and keeps its whole span.
const finiteOrNull = (v) => (Number.isFinite(v) ? v : null);

export function createSeriesHistory(keys, maxPoints = 600) {
  let xs = [];
  let columns = keys.map(() => []);
  return {
    add(x, values) {
      if (xs.length && xs[xs.length - 1] === x) {
        keys.forEach((key, i) => { columns[i][columns[i].length - 1] = finiteOrNull(values[key]); });
      } else {
        xs.push(x);
        keys.forEach((key, i) => columns[i].push(finiteOrNull(values[key])));
      }
      if (xs.length > maxPoints) {
        const keep = (_, i, a) => i % 2 === 0 || i === a.length - 1;
        xs = xs.filter(keep);
        columns = columns.map((c) => c.filter(keep));
      }
    },
    set(newXs, newColumns) {
      xs = [...newXs];
      columns = keys.map((_, i) => Array.from(newColumns[i] ?? [], finiteOrNull));
    },
    clear() {
      xs = [];
      columns = keys.map(() => []);
    },
    get xs() { return xs; },
    get columns() { return columns; },
    get length() { return xs.length; },
    // The largest value of the columns named in `only` (all by default), or -Infinity.
    max(only = keys) {
      let m = -Infinity;
      keys.forEach((key, i) => { if (only.includes(key)) for (const v of columns[i]) if (v !== null && v > m) m = v; });
      return m;
    },
    // [{ x, [key]: value }] for export.
    rows() {
      return xs.map((x, j) => Object.fromEntries([["x", x], ...keys.map((key, i) => [key, columns[i][j]])]));
    },
  };
}
