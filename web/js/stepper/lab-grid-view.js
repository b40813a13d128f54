// The lab's N×C×H×W input drawn as N×C small grids (one row of grids per
// sample, one grid per channel), a text input in every cell named
// `x sample N channel C row H col W` (from 1), and the mini, read-only
// drawings of the five-normalizations view (each cell shows the number of
// the statistic it is normalized with).
import { h } from "../dom.js";
import { index } from "./norm-axes.js";

const range = (n) => Array.from({ length: n }, (_, i) => i);

// image: the shown [n][c][h][w] text (lab-state.js cutTensor).
export function buildImageGrids({ prefix, image, shape }) {
  const [N, C, H, W] = shape;
  return h("div", { class: "image-batch" }, range(N).map((n) =>
    h("div", { class: "sample-row", role: "group", "aria-label": `sample ${n + 1}` },
      h("span", { class: "sample-name", "aria-hidden": "true" }, `sample ${n + 1}`),
      range(C).map((c) => h("table", { class: "grid image-grid", "data-sample": n + 1, "data-channel": c + 1 },
        h("caption", {}, `channel ${c + 1}`),
        h("tbody", {}, range(H).map((hh) => h("tr", {}, range(W).map((w) => imageCell(prefix, image, shape, n, c, hh, w))))))))));
}

function imageCell(prefix, image, shape, n, c, hh, w) {
  const key = `image:${n}:${c}:${hh}:${w}`;
  return h("td", {},
    h("input", { type: "text", inputmode: "decimal", autocomplete: "off", spellcheck: "false", class: "cell image-cell",
      "aria-label": `x sample ${n + 1} channel ${c + 1} row ${hh + 1} col ${w + 1}`, value: image[n][c][hh][w],
      "data-key": key, "data-image": `${n}:${c}:${hh}:${w}`, "data-j": index(shape, n, c, hh, w) }),
    h("span", { class: "msg", id: `${prefix}-msg-${key.replace(/:/g, "-")}`, "data-msg-for": key }));
}

// Marks the cells statistic `cells` (element indices) reduces over.
export function highlightCells(root, cells) {
  const on = new Set(cells);
  for (const input of root.querySelectorAll("input.image-cell")) {
    const inStat = on.has(Number(input.dataset.j));
    input.classList.toggle("in-stat", inStat);
    if (inStat) input.dataset.inStat = "true"; else delete input.dataset.inStat;
  }
}

// A read-only drawing: every cell holds the number (from 1) of its statistic
// (statOf(j)), with a colour per statistic as a second cue.
export function miniGrids(label, shape, statOf) {
  const [N, C, H, W] = shape;
  return h("div", { class: "mini-batch" }, range(N).map((n) => h("div", { class: "sample-row" },
    range(C).map((c) => h("table", { class: "mini", "aria-label": `${label} sample ${n + 1} channel ${c + 1}` },
      h("tbody", {}, range(H).map((hh) => h("tr", {}, range(W).map((w) => {
        const s = statOf(index(shape, n, c, hh, w));
        return h("td", { class: `stat-${s % 8}`, "data-stat": s + 1 }, String(s + 1));
      })))))))));
}
