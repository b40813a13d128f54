// The index page: loads the WASM module, mounts the stepper with its state in
// the URL, and runs the theme toggle (web/js/theme.js: follows the system
// until toggled; the choice is remembered in localStorage).
import { loadBN } from "./bn.js";
import { mountStepper } from "./stepper/mount.js";
import { setupThemeToggle } from "./theme.js";
import { buildName, simdChoice } from "./wasm-choice.js";

const host = document.getElementById("stepper");
const engine = document.querySelector(".engine");

let stepper = null;
const themeToggle = setupThemeToggle(document.querySelector(".theme-toggle"), (chosen) => stepper?.setTheme(chosen));

try {
  const bn = await loadBN({ simd: simdChoice() });   // ?wasm=scalar tries the scalar build
  host.replaceChildren();
  stepper = mountStepper(host, bn, { syncUrl: true });
  stepper.setTheme(themeToggle.chosen);
  engine.textContent = `WebAssembly ${bn.simd ? "SIMD" : "scalar"} build, version ${bn.version}`;
  engine.dataset.wasm = buildName(bn);
} catch (e) {
  host.replaceChildren(Object.assign(document.createElement("p"), { className: "loading", textContent: `The WebAssembly module could not load: ${e.message}` }));
  console.error(e);
}
