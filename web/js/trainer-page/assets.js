// Where the trainer finds its Web Worker, the WebAssembly files and its CSS.
// These URLs are relative to this source file inside web/. The dist build
// (scripts/build-dist.mjs) swaps this module for one with the flat dist/
// layout, so the same code runs from both places.
import { withWasmChoice } from "../wasm-choice.js";

export const workerUrl = withWasmChoice(new URL("../worker.js", import.meta.url));   // carries ?wasm= to the worker
export const wasmDirectory = new URL("../../wasm/", import.meta.url);
export const stylesheetUrls = [
  new URL("../../vendor/uplot/uPlot.min.css", import.meta.url),
  new URL("../../css/trainer.css", import.meta.url),
  new URL("../../vendor/katex/katex.min.css", import.meta.url),
];
