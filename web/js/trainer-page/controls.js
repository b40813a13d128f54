// The settings form, built from the state table (state.js). A bad value is
// marked aria-invalid with its message beside it and is not applied; the
// field keeps what the user typed.
import { h, uniqueId } from "../dom.js";
import { controlKeys, FIELDS, formatField, parseField } from "./state.js";

export function createControls({ state, onChange, fields = controlKeys() }) {
  const inputs = new Map();
  const rows = [];
  for (const key of fields) {
    const field = FIELDS.find((f) => f.key === key);
    const id = uniqueId(`bnt-${key}`);
    const messageId = `${id}-message`;
    const message = h("span", { id: messageId, class: "bnt-error", role: "status" });
    // Layer lists and momentum (a number or null) are text; other numbers are number boxes.
    const text = field.kind === "layers" || field.kind === "momentum";
    const input = field.kind === "choice"
      ? h("select", { id, name: key }, options(field))
      : h("input", { id, name: key, type: text ? "text" : "number",
        inputmode: field.kind === "layers" ? "numeric" : "decimal", step: field.kind === "integer" ? 1 : "any",
        min: text ? undefined : field.min, max: text ? undefined : field.max,
        size: 6, autocomplete: "off", spellcheck: "false" });
    input.value = formatField(key, state[key]);
    // A list of widths is never cut: the box grows with its text.
    const fit = () => { if (field.kind === "layers") input.size = Math.max(12, input.value.length + 2); };
    fit();
    if (field.help) input.setAttribute("title", field.help);
    const extra = [];
    let slider = null;
    if (key === "lr") {
      // A log-scale slider beside the number box (10^log10(min) .. 10^log10(max));
      // the box holds the rate itself.
      slider = h("input", { type: "range", min: Math.log10(field.min), max: Math.log10(field.max), step: 0.05,
        "aria-label": "Rate on a log scale", class: "bnt-lr-slider" });
      slider.value = String(Math.log10(state.lr));
      slider.addEventListener("input", () => {
        const rate = Number((10 ** Number(slider.value)).toPrecision(2));
        input.value = String(rate);
        commit();
      });
      extra.push(slider);
    }
    const commit = () => {
      const parsed = parseField(key, input.value);
      if ("error" in parsed) {
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", messageId);
        message.textContent = parsed.error;
        return;
      }
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
      message.textContent = "";
      if (slider && document.activeElement !== slider) slider.value = String(Math.log10(parsed.value));
      onChange(key, parsed.value);
    };
    // Applied on change (Enter, blur, select) and after a pause in typing.
    let typingTimer = 0;
    input.addEventListener("change", () => { clearTimeout(typingTimer); commit(); });
    if (field.kind !== "choice") {
      input.addEventListener("input", () => { fit(); clearTimeout(typingTimer); typingTimer = setTimeout(commit, 600); });
    }
    inputs.set(key, { input, slider, message, fit, commit, field });
    rows.push(h("div", { class: `bnt-control bnt-control-${key}` },
      h("label", { for: id }, field.label), input, ...extra, message));
  }

  return {
    element: h("div", { class: "bnt-controls" }, rows),
    // Sets one control as if the user had chosen the value (a fix button).
    set(key, value) {
      const entry = inputs.get(key);
      if (!entry) return;
      entry.input.value = formatField(key, value);
      entry.commit();
    },
    // After the table changed (the core's schema, applySchema): choices and limits again.
    refresh(newState) {
      for (const { input, field } of inputs.values()) {
        if (field.kind === "choice") input.replaceChildren(...options(field));
        else if (input.type === "number") { input.min = field.min; input.max = field.max; }
      }
      this.show(newState);
    },
    // Shows a state set from elsewhere (a preset, the URL).
    show(newState) {
      for (const [key, { input, slider, message, fit }] of inputs) {
        input.value = formatField(key, newState[key]);
        fit();
        input.removeAttribute("aria-invalid");
        input.removeAttribute("aria-describedby");
        message.textContent = "";
        if (slider) slider.value = String(Math.log10(newState[key]));
      }
    },
  };
}

// A select's options, from the table.
function options(field) {
  return field.choices.map((c) => h("option", { value: c }, c));
}
