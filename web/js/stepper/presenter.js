// Presenter mode, for a lecture hall: the stepper covers the window (and
// goes fullscreen through the Fullscreen API where the browser allows it:
// only from a click, never from a link or an attribute), large type that
// grows with the screen, the input grid beside the current step, and
// nothing else (running statistics and export are hidden). In the backward
// pass the dy grid moves under the x grid (ui.presenterSlot), so that the
// cells a step uses and its formula fit one screen together (1024 × 768 at
// 150 % zoom included). The styles are in styles.js under
// .bns[data-presenter="true"].
//
// createPresenter(ui, onExit) returns { show(on, { fromClick }), destroy() };
// onExit() is called when the user leaves fullscreen with the browser's
// own control (Esc), which leaves presenter mode as well.

export function createPresenter(ui, onExit) {
  let wentFullscreen = false;
  const doc = ui.container.ownerDocument;

  const onFullscreenChange = () => {
    if (wentFullscreen && doc.fullscreenElement !== ui.container) {
      wentFullscreen = false;
      onExit();
    }
  };
  doc.addEventListener("fullscreenchange", onFullscreenChange);

  function show(on, { fromClick = false } = {}) {
    const was = ui.container.dataset.presenter === "true";
    if (on) ui.container.dataset.presenter = "true"; else delete ui.container.dataset.presenter;
    ui.presenterButton.setAttribute("aria-pressed", String(on));
    if (on && ui.dyPanel.parentNode !== ui.presenterSlot) ui.presenterSlot.append(ui.dyPanel);
    if (!on && ui.dyPanel.parentNode === ui.presenterSlot) ui.progress.after(ui.dyPanel);
    if (on && !was && fromClick && doc.fullscreenEnabled && !doc.fullscreenElement && ui.container.requestFullscreen) {
      ui.container.requestFullscreen().then(() => { wentFullscreen = true; }, () => { /* refused: the overlay stays */ });
    }
    if (!on && doc.fullscreenElement === ui.container) {
      wentFullscreen = false;
      doc.exitFullscreen().catch(() => {});
    }
    if (on && !was) ui.nextButton.focus({ preventScroll: true });
  }

  return {
    show,
    destroy() {
      doc.removeEventListener("fullscreenchange", onFullscreenChange);
      if (doc.fullscreenElement === ui.container) doc.exitFullscreen().catch(() => {});
    },
  };
}
