// The preset buttons (one per claim preset of ../presets-config.js), the
// caption of the chosen one, and its controls as one-click buttons: each
// control trains the preset's alternative pair of networks (the modest
// rate, the shallow network, ...); pressing it again goes back to the
// preset's own pair. The caption says only what held over seeds 1-5.
import { h } from "../dom.js";
import { PRESETS, presetById } from "./presets.js";

export function createPresetBar({ onPreset, onControl }) {
  const buttons = PRESETS.map((p) => h("button", { type: "button", class: "bnt-preset", "data-preset": p.id,
    "aria-pressed": "false", onclick: () => onPreset(p.id) }, p.name));
  const explanation = h("p", { class: "bnt-explanation", "aria-live": "polite" });
  const controlText = h("p", { class: "bnt-control-text" });
  const controls = h("div", { class: "bnt-preset-controls", role: "group", "aria-label": "Controls of the preset" });
  const caption = h("div", { class: "bnt-caption" }, explanation, controls, controlText);
  let shown = { preset: null, control: "" };

  return {
    element: h("div", { class: "bnt-presets", role: "group", "aria-label": "Presets" },
      h("span", { class: "bnt-presets-label" }, "Try:"), buttons),
    caption,
    // The preset part of a state: its buttons pressed, its caption and controls.
    show({ preset: id, control }) {
      const preset = presetById(id);
      for (const button of buttons) button.setAttribute("aria-pressed", String(button.dataset.preset === id));
      caption.hidden = !preset;
      explanation.textContent = preset ? `${preset.text} (Figures measured at step ${preset.steps} over seeds 1–5, ` +
        "by this trainer and by the same networks in PyTorch.)" : "";
      if (!preset) { controls.replaceChildren(); controlText.textContent = ""; shown = { preset: null, control: "" }; return; }
      if (shown.preset !== id) {
        controls.replaceChildren(...preset.controls.map((c) => h("button", { type: "button", class: "bnt-preset-control",
          "data-control": c.id, "aria-pressed": "false",
          onclick: () => onControl(c.id === shown.control ? "" : c.id) }, c.label)));
        controls.hidden = preset.controls.length === 0;
      }
      for (const button of controls.querySelectorAll("button")) {
        button.setAttribute("aria-pressed", String(button.dataset.control === control));
      }
      controlText.textContent = preset.controls.find((c) => c.id === control)?.text ?? "";
      controlText.hidden = !controlText.textContent;
      shown = { preset: id, control };
    },
  };
}
