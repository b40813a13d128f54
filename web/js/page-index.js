// The index page: loads the WASM module, mounts the stepper with its state in
// the URL, and runs the theme toggle (web/js/theme.js: follows the system
// until toggled; the choice is remembered in localStorage).
//
// The WASM fetch and compile start first (loadBN), and the stepper's modules
// load meanwhile (import() of mount.js; index.html preloads them): the
// first number waits for whichever of the two comes last, not for both in
// turn. The sections past the first view load after it (mount.js).
import { loadBN } from "./bn.js";
import { setupThemeToggle } from "./theme.js";
import { buildName, simdChoice } from "./wasm-choice.js";

const host = document.getElementById("stepper");
const engine = document.querySelector(".engine");

let stepper = null;
const themeToggle = setupThemeToggle(document.querySelector(".theme-toggle"), (chosen) => stepper?.setTheme(chosen));

try {
  const loading = loadBN({ simd: simdChoice() });   // ?wasm=scalar tries the scalar build
  const stepperModule = import("./stepper/mount.js");
  const [bn, { mountStepper }] = await Promise.all([loading, stepperModule]);
  host.replaceChildren();
  stepper = mountStepper(host, bn, { syncUrl: true });
  stepper.setTheme(themeToggle.chosen);
  engine.textContent = `WebAssembly ${bn.simd ? "SIMD" : "scalar"} build, version ${bn.version}`;
  engine.dataset.wasm = buildName(bn);
} catch (e) {
  host.replaceChildren(Object.assign(document.createElement("p"), { className: "loading", textContent: `The WebAssembly module could not load: ${e.message}` }));
  console.error(e);
}
