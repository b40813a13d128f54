// The trainer's exports as text: the curves of both networks as CSV, one
// line per network and recorded step, full precision (an empty cell where a
// value was not finite, e.g. a diverged loss). Pure: tested in Node.

// panels: [{ key: "bn" | "plain", rows: [{ x: step, [column]: value }] }].
export function curvesCsv(panels, columns) {
  const lines = [["network", "step", ...columns].join(",")];
  for (const { key, rows } of panels) {
    for (const row of rows) lines.push([key, row.x, ...columns.map((c) => (row[c] === null || row[c] === undefined ? "" : String(row[c])))].join(","));
  }
  return `${lines.join("\n")}\n`;
}

export const pngName = (steps) => `batchnorm-trainer-step-${steps}.png`;
export const CSV_NAME = "batchnorm-trainer-curves.csv";
