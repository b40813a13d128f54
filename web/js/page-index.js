// The index page: loads the WASM module, mounts the stepper with its state in
// the URL, and runs the theme toggle (follows the system until toggled; the
// choice is remembered in localStorage).
import { loadBN } from "./bn.js";
import { mountStepper } from "./stepper/mount.js";

const host = document.getElementById("stepper");
const toggle = document.querySelector(".theme-toggle");
const engine = document.querySelector(".engine");
const darkQuery = matchMedia("(prefers-color-scheme: dark)");

function storedTheme() {
  try { return localStorage.getItem("bn-theme"); } catch { return null; }
}

let stepper = null;
function applyTheme(theme) {
  if (theme) document.documentElement.dataset.theme = theme;
  else delete document.documentElement.dataset.theme;
  const dark = theme ? theme === "dark" : darkQuery.matches;
  toggle.setAttribute("aria-pressed", String(dark));
  stepper?.setTheme(theme);
}

toggle.addEventListener("click", () => {
  const dark = toggle.getAttribute("aria-pressed") !== "true";
  const theme = dark ? "dark" : "light";
  try { localStorage.setItem("bn-theme", theme); } catch { /* private mode: not remembered */ }
  applyTheme(theme);
});
darkQuery.addEventListener("change", () => applyTheme(storedTheme()));

try {
  const bn = await loadBN();
  host.replaceChildren();
  stepper = mountStepper(host, bn, { syncUrl: true });
  applyTheme(storedTheme());
  engine.textContent = `WebAssembly ${bn.simd ? "SIMD" : "scalar"} build, version ${bn.version}`;
} catch (e) {
  host.replaceChildren(Object.assign(document.createElement("p"), { className: "loading", textContent: `The WebAssembly module could not load: ${e.message}` }));
  console.error(e);
}
