// Entry point of web/trainer.html: the live trainer with its state in the
// URL hash (every control, the seed and the preset), so a view is a link,
// and the site's light/dark theme toggle (the canvases repaint on a change).
// A print is always light: the canvases repaint in the light theme first.
import { mountTrainer } from "./trainer-view.js";
import { setupThemeToggle } from "../theme.js";
import { stateFromHash } from "./state.js";
import { workerUrl } from "./assets.js";

const root = document.getElementById("trainer");

const trainer = mountTrainer(root, {
  workerUrl,
  state: stateFromHash(location.hash),
  syncUrl: true,
  headingLevel: 2,
});

setupThemeToggle(document.querySelector(".theme-toggle"), () => trainer.redraw());

// Back/forward or an edited hash reloads that state.
window.addEventListener("hashchange", () => {
  trainer.load(stateFromHash(location.hash));
});

// Nested print events (a print started while one is open) change nothing twice.
let themeBeforePrint = null;   // { theme } while printing
window.addEventListener("beforeprint", () => {
  if (themeBeforePrint) return;
  themeBeforePrint = { theme: document.documentElement.dataset.theme };
  document.documentElement.dataset.theme = "light";
  trainer.drawNow();
});
window.addEventListener("afterprint", () => {
  if (!themeBeforePrint) return;
  const { theme } = themeBeforePrint;
  themeBeforePrint = null;
  if (theme === undefined) delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
  trainer.drawNow();
});
