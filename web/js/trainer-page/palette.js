// The colours the trainer's canvases draw with, read from CSS custom
// properties (web/css/trainer.css) so they follow the page's light/dark
// theme. Read once per drawn frame; a canvas keeps no colour of its own.
const PROPERTIES = {
  heatClass0: "--bnt-heat-class0",   // map tint where p(class 1) = 0
  heatMiddle: "--bnt-heat-middle",   // p = 0.5
  heatClass1: "--bnt-heat-class1",   // p = 1
  class0: "--bnt-class0",            // data points
  class1: "--bnt-class1",
  pointEdge: "--bnt-point-edge",
  axis: "--bnt-chart-axis",
  label: "--bnt-chart-label",
  stripEmpty: "--bnt-strip-empty",   // a histogram bin with no values
  stripFull: "--bnt-strip-full",     // the fullest bin of a frame
  stripGuide: "--bnt-strip-guide",   // the dashed line at 0
  batchLoss: "--bnt-series-batchLoss",
  loss: "--bnt-series-loss",
  testLoss: "--bnt-series-testLoss",
  trainMode: "--bnt-series-trainMode",
  // One colour per hidden layer in the layer-statistics charts (layer-stats-view.js).
  ...Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`layer${i + 1}`, `--bnt-series-layer${i + 1}`])),
};

// { heatClass0: "#f8c48c", ... } as the CSS of `element` resolves them.
export function readPalette(element) {
  const style = getComputedStyle(element);
  const palette = {};
  for (const [name, property] of Object.entries(PROPERTIES)) palette[name] = style.getPropertyValue(property).trim();
  return palette;
}

// () -> readPalette(element), the same object for as long as the colours
// stay the same, so that a figure can tell a theme change by identity.
export function createPaletteReader(element) {
  let palette = null;
  let text = "";
  return () => {
    const read = readPalette(element);
    const readText = JSON.stringify(read);
    if (readText !== text) { palette = read; text = readText; }
    return palette;
  };
}

let parser = null;
const parsed = new Map();
// Any CSS colour -> [r, g, b] (0–255), for canvases filled pixel by pixel.
export function toRgb(colour) {
  let rgb = parsed.get(colour);
  if (rgb) return rgb;
  parser ??= document.createElement("canvas").getContext("2d", { willReadFrequently: true });
  parser.clearRect(0, 0, 1, 1);
  parser.fillStyle = "#000";
  parser.fillStyle = colour;   // an unparsable colour leaves black
  parser.fillRect(0, 0, 1, 1);
  rgb = Array.from(parser.getImageData(0, 0, 1, 1).data.slice(0, 3));
  parsed.set(colour, rgb);
  return rgb;
}
