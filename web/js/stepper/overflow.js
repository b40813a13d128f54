// A visible cue on every box that scrolls sideways (.scroll: the grids, the
// PyTorch/Keras table, the gradient check's table) when its content is wider
// than the box, as on a phone: the box gets the class "overflows" (a shaded
// edge, styles.js) and a line under it, "Scroll sideways for more →".
// Input cells also grow to show what they hold (computed dy, long typed
// values). refresh() after every render; widths also change when fonts
// arrive and when the window resizes. fitCells() alone (no layout read):
// for the first view, whose refresh() waits until it is on screen.
import { h } from "../dom.js";

export const SCROLL_CUE = "Scroll sideways for more →";

// Wide enough for its text (at least the 5 rem of a cell).
export function fitCell(input) {
  const length = String(input.value).length;
  input.style.width = length > 5 ? `max(5rem, calc(${length}ch + 1.3rem))` : "";
}

export function watchOverflow(container) {
  let fontsWatched = false;     // (asking for document.fonts.ready lays the page out)
  const fitCells = () => { for (const input of container.querySelectorAll("input.cell")) fitCell(input); };
  function refresh() {
    if (!fontsWatched) { fontsWatched = true; document.fonts?.ready.then(onResize); }
    fitCells();
    for (const box of container.querySelectorAll(".scroll")) {
      const wide = box.scrollWidth > box.clientWidth + 1;
      box.classList.toggle("overflows", wide);
      const cue = box.nextElementSibling?.classList.contains("scroll-cue") ? box.nextElementSibling : null;
      if (wide && !cue) box.after(h("p", { class: "scroll-cue" }, SCROLL_CUE));
      if (!wide && cue) cue.remove();
    }
  }
  const onResize = () => refresh();
  window.addEventListener("resize", onResize);
  return { refresh, fitCells, destroy: () => window.removeEventListener("resize", onResize) };
}
