// The "Share and export" card: Copy link (the page's URL holds the whole
// view), Copy as PyTorch (a snippet that reproduces the numbers in torch,
// shown below the buttons as well) and Download CSV (every intermediate).
// The texts come from export.js; here are the buttons and the clipboard.
import { pytorchSnippet, intermediatesCsv } from "./export.js";
import { download } from "../dom.js";

// current() gives { state, view, inputs } of the stepper now.
export function createExportView(ui, current) {
  function show() {
    const { state, view, inputs } = current();
    if (ui.snippetBox.open && inputs.forwardOk) ui.snippet.textContent = pytorchSnippet(state, inputs);
    ui.copyTorchButton.disabled = !inputs.forwardOk;
    ui.csvButton.disabled = !view || !!view.error || !view.dx;
  }

  if (ui.copyLinkButton) ui.copyLinkButton.disabled = false;
  ui.copyLinkButton?.addEventListener("click", async () => {
    ui.exportStatus.textContent = (await copyText(location.href)) ? "Link copied." : "Copy the address bar: it holds the whole view.";
  });
  ui.copyTorchButton.addEventListener("click", async () => {
    const { state, inputs } = current();
    ui.snippetBox.open = true;
    ui.snippet.textContent = pytorchSnippet(state, inputs);
    ui.exportStatus.textContent = (await copyText(ui.snippet.textContent)) ? "PyTorch snippet copied." : "The snippet is shown below: select it and copy.";
  });
  ui.snippetBox.addEventListener("toggle", show);
  ui.csvButton.addEventListener("click", () => {
    download(new Blob([intermediatesCsv(current().view)], { type: "text/csv" }), "batchnorm-intermediates.csv", ui.container);
    ui.exportStatus.textContent = "CSV downloaded.";
  });
  return { show };
}

// Clipboard write; false where the browser refuses (no permission, insecure
// origin), and the caller then shows the text to copy by hand.
async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
