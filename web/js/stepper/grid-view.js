// The editable tables: the input batch x (with γ and β rows under it) and the
// dy / target grid of the backward pass. Each input has the accessible name
// of docs/page-hooks.md and a message slot that bad-input marks fill.
import { h } from "../dom.js";

// name: "x" | "dy" | "target"; cells: rows of strings; extraRows: [{ name, label, values }]
export function buildGrid({ prefix, name, label, cells, extraRows = [], readOnly = false, caption }) {
  const features = cells[0].length;
  const head = h("tr", {}, h("th", { scope: "col" }, h("span", { class: "sr-only" }, "row")),
    Array.from({ length: features }, (_, k) => h("th", { scope: "col" }, `feature ${k + 1}`)));
  const body = cells.map((row, i) => h("tr", {}, h("th", { scope: "row" }, `${label ?? name} ${i + 1}`),
    row.map((text, k) => cellTd({ prefix, key: `${name}:${i}:${k}`, aria: `${name} row ${i + 1} feature ${k + 1}`, text, readOnly,
      data: { "data-grid": name, "data-i": i, "data-k": k } }))));
  const extra = extraRows.map(({ name: rowName, label: rowLabel, values }) => h("tr", { class: "param-row" },
    h("th", { scope: "row" }, rowLabel),
    values.map((text, k) => cellTd({ prefix, key: `${rowName}:${k}`, aria: `${rowName} feature ${k + 1}`, text,
      data: { "data-param": rowName, "data-k": k } }))));
  return h("table", { class: `grid grid-${name}` }, caption ? h("caption", {}, caption) : null,
    h("thead", {}, head), h("tbody", {}, body, extra));
}

function cellTd({ prefix, key, aria, text, readOnly, data }) {
  const msgId = `${prefix}-msg-${key.replace(/:/g, "-")}`;
  return h("td", {},
    h("input", { type: "text", inputmode: "decimal", autocomplete: "off", spellcheck: "false", class: "cell",
      "aria-label": aria, value: text, readonly: readOnly, "data-key": key, ...data }),
    h("span", { class: "msg", id: msgId, "data-msg-for": key }));
}

// Marks each input of `container` whose data-key has a message in `errors`.
export function markErrors(container, errors) {
  for (const input of container.querySelectorAll("input[data-key]")) {
    const key = input.dataset.key;
    const msg = container.querySelector(`[data-msg-for="${key}"]`);
    const error = errors.get(key);
    if (error) {
      input.setAttribute("aria-invalid", "true");
      if (msg) { msg.textContent = error; input.setAttribute("aria-describedby", msg.id); }
    } else {
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
      if (msg) msg.textContent = "";
    }
  }
}
