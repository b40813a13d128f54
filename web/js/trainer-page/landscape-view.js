// Santurkar et al.'s measures (2018, "How Does Batch Normalization Help
// Optimization?"), live, the batch-norm network against the plain one:
// the loss along the gradient direction at several step sizes (latest
// sample), and over training the loss's variation along that direction,
// gradient predictiveness and internal covariate shift, each sample taken
// in the worker every few steps (depth-figures.js). Beside them, what the
// paper found and what these samples show: medians of each measure, BN
// against plain, each in a row with data-measure, data-bn, data-plain,
// data-verdict ("smaller" | "larger" | "similar") and data-samples.
import { h, setText } from "../dom.js";
import { createLineChart, formatValue } from "./line-chart.js";

const MAX_SAMPLES = 2000;
// Each series is named after its network's panel (reset(titles)).
const NETS = [{ key: "bn", label: "With batch norm", colour: "loss", width: 2 },
  { key: "plain", label: "Without batch norm", colour: "testLoss", width: 2, dash: [5, 3] }];
// A ratio of medians (BN / plain) beyond these reads as smaller / larger.
const SMALLER_BELOW = 0.5, LARGER_ABOVE = 2;

const MEASURES = [
  { id: "lossRange", label: "Variation of the loss along the gradient (max − min over the step sizes)",
    value: (s) => s.lossMax - s.lossMin, chart: true },
  { id: "gradChange", label: "Gradient predictiveness: largest ‖∇L(w − ηg) − ∇L(w)‖ along the step",
    value: (s) => s.gradChangeMax, chart: true },
  { id: "betaSmoothness", label: "Effective β-smoothness: largest ‖∇L(w − ηg) − g‖ / (η‖g‖)",
    value: (s) => s.betaSmoothness, chart: false },
  { id: "ics", label: "Internal covariate shift: mean over layers of ‖G − G′‖",
    value: (s) => s.ics, chart: true },
  { id: "icsCosine", label: "Internal covariate shift: mean cosine of G and G′ (1 = no shift)",
    value: (s) => s.icsCosine, chart: false, higherIsSmaller: true },
];

const median = (values) => {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  return v.length ? (v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2) : NaN;
};

export function createLandscapeView() {
  const samples = { bn: [], plain: [] };
  const charts = [];
  const chartFigure = (label, options) => {
    const host = h("div", { class: "bnt-depth-chart" });
    const chart = createLineChart(host, { label, series: NETS, height: 150, ...options });
    const element = h("figure", { class: "bnt-depth-figure" }, h("figcaption", { class: "bnt-chart-title" }, label), host);
    charts.push({ chart, element });
    return { chart, element };
  };
  const along = chartFigure("Loss along the gradient, L(w − ηg), at the latest sample", { xLabel: "step size η", yLabel: "loss",
    xRange: (min, max) => [0, Math.max(max ?? 1, 1e-6)], format: (v) => (Number.isFinite(v) ? v.toPrecision(4) : "–") });
  const over = MEASURES.filter((m) => m.chart).map((m) => ({ measure: m, ...chartFigure(m.label, { xLabel: "step", log: true }) }));
  const latest = h("p", { class: "bnt-landscape-latest" });
  // Each measure's row: its name, BN's median, plain's, the verdict.
  // The networks' columns: named as their panels (reset), and the verdict, the first's against the second's.
  const columns = [h("th", { scope: "col", "data-net": "bn" }), h("th", { scope: "col", "data-net": "plain" }),
    h("th", { scope: "col" }, "here, the first's is")];
  const rows = new Map(MEASURES.map((m) => [m.id, h("tr", { "data-measure": m.id },
    h("th", { scope: "row" }, m.label), h("td", {}), h("td", {}), h("td", {}))]));
  const table = h("table", { class: "bnt-landscape-table" },
    h("caption", {}, "What these samples show: medians over the samples so far"),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "measure"), ...columns)),
    h("tbody", {}, [...rows.values()]));
  let dirty = false;

  const element = h("div", { class: "bnt-landscape" },
    h("div", { class: "bnt-landscape-text" },
      h("p", {}, "What the paper found: Santurkar, Tsipras, Ilyas and Madry (2018) trained deep networks (VGG on " +
        "CIFAR-10, deep linear networks) with and without batch norm. Along the gradient, the batch-norm network's " +
        "loss varied much less and its gradient changed much less over a step (a smoother landscape, more predictive " +
        "gradients, a smaller effective β-smoothness). By their measure of internal covariate shift (how much a " +
        "layer's gradient changes when the layers before it take their step), batch norm did not reduce it; in " +
        "their deep linear networks it was even larger. Their conclusion: batch norm helps by smoothing the " +
        "optimization landscape, not by reducing internal covariate shift."),
      h("p", {}, "Check whether it holds here: the samples are taken on the last training batch, the step sizes η are ",
        "up to 4 × the learning rate. A network that barely moves (vanishing gradients) has small changes for that reason ",
        "alone; the β-smoothness divides by the step's length. A diverged network has no samples."),
      latest, table),
    h("div", { class: "bnt-landscape-charts" }, along.element, over.map((o) => o.element)));

  function summarize() {
    for (const m of MEASURES) {
      const bn = median(samples.bn.map(m.value)), plain = median(samples.plain.map(m.value));
      const ratio = bn / plain;
      let verdict = "similar";
      if (m.higherIsSmaller) {
        if (1 - bn < SMALLER_BELOW * (1 - plain)) verdict = "smaller";
        else if (1 - bn > LARGER_ABOVE * (1 - plain)) verdict = "larger";
      } else if (ratio < SMALLER_BELOW) verdict = "smaller";
      else if (ratio > LARGER_ABOVE) verdict = "larger";
      const known = Number.isFinite(bn) && Number.isFinite(plain);
      const row = rows.get(m.id);
      const [, bnCell, plainCell, verdictCell] = row.children;
      setText(bnCell, formatValue(bn));
      setText(plainCell, formatValue(plain));
      setText(verdictCell, known ? (m.higherIsSmaller ? `${verdict} shift` : verdict) : "–");
      Object.assign(row.dataset, { bn: String(bn), plain: String(plain), verdict: known ? verdict : "unknown",
        samples: String(Math.min(samples.bn.length, samples.plain.length)) });
    }
  }

  return {
    element,
    // titles: { bn, plain }, the panels' titles (the legends and the table name the networks by them).
    reset(titles) {
      const labels = NETS.map((n) => titles[n.key] ?? n.label);
      labels.forEach((label, i) => setText(columns[i], label));
      for (const { chart } of charts) chart.relabel(labels);
      samples.bn = []; samples.plain = [];
      for (const { chart } of charts) chart.clear();
      setText(latest, "No samples yet: they are taken every few steps while this view is open.");
      summarize();
    },
    // A frame's samples (depth-figures.js landscapeSample) of both networks,
    // taken at the same steps (a diverged network has none).
    add(frame, every) {
      const steps = new Map();
      for (const key of ["bn", "plain"]) {
        const fresh = frame[key].landscape ?? [];
        samples[key].push(...fresh);
        if (samples[key].length > MAX_SAMPLES) samples[key].splice(0, samples[key].length - MAX_SAMPLES);
        for (const sample of fresh) steps.set(sample.step, { ...steps.get(sample.step), [key]: sample });
      }
      if (!steps.size) return;
      for (const [step, pair] of steps) {
        for (const o of over) {
          const value = (s) => (s && o.measure.value(s) > 0 ? o.measure.value(s) : NaN);
          o.chart.add(step, { bn: value(pair.bn), plain: value(pair.plain) });
        }
      }
      setText(latest, `Sampled every ${every} steps (and when this view opens); latest at step ${[...steps.keys()].at(-1)}.`);
      dirty = true;
    },
    // Its figures as frame-scheduler.js jobs, each with its element:
    // paint({ palette }) -> whether it painted, unbuilt() (depth-network.js);
    // the latest sample's line and the table (its data- attributes are
    // hooks: no element, so it runs wherever the table is), then each chart.
    jobs: [
      { element: null, paint: () => {
        if (!dirty) return false;
        const last = { bn: samples.bn.at(-1), plain: samples.plain.at(-1) };
        const eta = (last.bn ?? last.plain)?.eta;
        if (eta) {
          const line = (s) => (s ? [s.loss, ...s.lossAt] : eta.map(() => NaN).concat(NaN));
          along.chart.set([0, ...eta], [line(last.bn), line(last.plain)]);
        }
        summarize();
        dirty = false;
        return true;
      } },
      ...charts.map(({ chart, element }) => ({ element, paint: ({ palette }) => chart.draw(palette), unbuilt: () => !chart.built })),
    ],
    destroy() { for (const { chart } of charts) chart.destroy(); },
  };
}
