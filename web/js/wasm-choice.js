// Picking the WebAssembly build from the address: ?wasm=scalar (or
// ?wasm=simd). loadBN() uses the SIMD build wherever the engine supports it;
// the stepper page, the trainer page, the widgets and the training worker
// pass this choice to loadBN as its `simd` option, so the scalar build (the
// one engines without WebAssembly SIMD get) can be tried in any browser, and
// each shows the build it runs as data-wasm="simd" | "scalar".
export const WASM_PARAM = "wasm";

function param(href) {
  return href ? new URL(href).searchParams.get(WASM_PARAM) : null;
}

// loadBN's simd option from ?wasm= in `href` (the page's, or the worker
// script's, address): true for "simd", false for "scalar", undefined (auto)
// when absent. Another value is ignored with a warning that names it.
export function simdChoice(href = globalThis.location?.href) {
  const value = param(href);
  if (value === null) return undefined;
  if (value === "simd" || value === "scalar") return value === "simd";
  console.warn(`?${WASM_PARAM}= must be "simd" or "scalar", got ${JSON.stringify(value)}; the default build is used`);
  return undefined;
}

// `url` with the ?wasm= of `href` copied onto it: the worker's script URL,
// so that the worker picks the same build as its page.
export function withWasmChoice(url, href = globalThis.location?.href) {
  const value = param(href);
  const out = new URL(url);
  if (value !== null) out.searchParams.set(WASM_PARAM, value);
  return out;
}

// The value of data-wasm for a loaded module.
export const buildName = (bn) => (bn.simd ? "simd" : "scalar");
