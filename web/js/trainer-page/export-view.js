// The trainer's export buttons: "Download PNG" (the two panels as they are
// on screen, snapshot.js) and "Download CSV" (both networks' curves,
// export.js). The status line says what happened.
import { download, h } from "../dom.js";
import { CSV_NAME, curvesCsv, pngName } from "./export.js";
import { CURVE_KEYS } from "./panel.js";
import { panelsPng } from "./snapshot.js";

// panels: { bn, plain } (panel.js); container: the element holding both.
export function createExportView({ panels, container }) {
  const status = h("span", { class: "bnt-export-status", role: "status" });
  const pngButton = h("button", { type: "button", title: "A picture of both panels as they are now" }, "Download PNG");
  const csvButton = h("button", { type: "button", title: "Every recorded step of both networks' curves" }, "Download CSV");
  const steps = () => panels.bn.frame?.steps ?? 0;

  pngButton.addEventListener("click", async () => {
    const blob = await panelsPng(container);
    if (!blob) { status.textContent = "The browser could not make the picture."; return; }
    download(blob, pngName(steps()), container);
    status.textContent = `PNG of step ${steps()} downloaded.`;
  });
  csvButton.addEventListener("click", () => {
    const text = curvesCsv(Object.entries(panels).map(([key, panel]) => ({ key, rows: panel.curveRows() })), CURVE_KEYS);
    download(new Blob([text], { type: "text/csv" }), CSV_NAME, container);
    status.textContent = "CSV of the curves downloaded.";
  });

  return { element: h("div", { class: "bnt-export", role: "group", "aria-label": "Export" }, pngButton, csvButton, status) };
}
