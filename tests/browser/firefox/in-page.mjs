// The part of the Firefox driver that runs inside the page: finds the
// elements a Playwright-style locator chain names (CSS, role + accessible
// name, label, text, nth, filter) and does the operations that need no real
// input events. puppeteer serializes `inPage` with toString(), so it must be
// self-contained: no imports, no variables from outside it, and no eval or
// new Function (the pages run under the strict CSP).
//
// steps: [{ kind: "css", selector } | { kind: "role", role, name?, exact? }
//   | { kind: "label", text, exact? } | { kind: "text", text, exact? }
//   | { kind: "nth", index } | { kind: "filter", hasText }], where a text or
//   name is a string or { regex: source, flags }.
// op: "elements" / "element" (the array / the first, for handles) | "probe" |
//   "value" | "attribute" | "text" | "fill" | "select" | "focus" | "dispatch".
// needs: { visible, enabled, editable } that the one element must meet
//   before op runs. Returns { probe, ready, value } (value once ready).
export function inPage(steps, op, arg, needs) {
  const squash = (s) => String(s ?? "").replace(/\s+/g, " ").trim();

  // Playwright's text matching: exact = whole string, case-sensitive;
  // otherwise a case-insensitive substring; a regex is tested as is.
  function matches(value, pattern, exact) {
    const text = squash(value);
    if (pattern && typeof pattern === "object") return new RegExp(pattern.regex, pattern.flags).test(text);
    const want = squash(pattern);
    return exact ? text === want : text.toLowerCase().includes(want.toLowerCase());
  }

  // Left out of the accessibility tree (getByRole skips it, names skip it).
  function isHidden(el) {
    for (let e = el; e; e = e.parentElement ?? e.getRootNode()?.host) {
      if (e.nodeType !== 1) continue;
      if (e.getAttribute("aria-hidden") === "true" || getComputedStyle(e).display === "none") return true;
    }
    return getComputedStyle(el).visibility === "hidden";
  }

  // Playwright's visibility: a non-empty box and not visibility: hidden.
  function isVisible(el) {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== "hidden";
  }

  // Every element under `root`, in document order, descending into open shadow roots.
  function allElements(root) {
    const out = [];
    const walk = (node) => {
      for (const child of node.children ?? []) {
        out.push(child);
        if (child.shadowRoot) walk(child.shadowRoot);
        walk(child);
      }
    };
    walk(root);
    return out;
  }

  function queryCss(root, selector) {
    const found = new Set(root.querySelectorAll(selector));
    for (const el of allElements(root)) {
      if (el.shadowRoot) for (const inner of el.shadowRoot.querySelectorAll(selector)) found.add(inner);
    }
    const order = allElements(root);
    return order.filter((el) => found.has(el));
  }

  function implicitRole(el) {
    const tag = el.localName;
    const type = (el.getAttribute("type") ?? "").toLowerCase();
    switch (tag) {
      case "button": return "button";
      case "a": case "area": return el.hasAttribute("href") ? "link" : null;
      case "h1": case "h2": case "h3": case "h4": case "h5": case "h6": return "heading";
      case "select": return el.multiple || el.size > 1 ? "listbox" : "combobox";
      case "textarea": return "textbox";
      case "output": return "status";
      case "nav": return "navigation";
      case "main": return "main";
      case "fieldset": return "group";
      case "ul": case "ol": return "list";
      case "li": return "listitem";
      case "table": return "table";
      case "img": return el.getAttribute("alt") === "" ? "presentation" : "img";
      case "progress": return "progressbar";
      case "dialog": return "dialog";
      case "section": return el.hasAttribute("aria-label") || el.hasAttribute("aria-labelledby") ? "region" : null;
      case "form": return "form";
      case "input":
        if (["button", "submit", "reset", "image"].includes(type)) return "button";
        if (type === "checkbox") return "checkbox";
        if (type === "radio") return "radio";
        if (type === "range") return "slider";
        if (type === "number") return "spinbutton";
        if (type === "search") return el.hasAttribute("list") ? "combobox" : "searchbox";
        if (["", "text", "email", "tel", "url"].includes(type)) return el.hasAttribute("list") ? "combobox" : "textbox";
        return null;
      default: return null;
    }
  }

  const role = (el) => (el.getAttribute("role") ?? "").trim().split(/\s+/)[0] || implicitRole(el);
  const NAME_FROM_CONTENT = new Set(["button", "link", "heading", "radio", "checkbox", "option", "tab", "menuitem",
    "cell", "columnheader", "rowheader", "switch", "treeitem", "tooltip"]);

  // Text of a subtree for a name: hidden parts skipped, aria-label and alt used where given.
  function contentText(node) {
    if (node.nodeType === 3) return node.textContent;
    if (node.nodeType !== 1) return "";
    if (isHidden(node)) return "";
    const label = node.getAttribute("aria-label");
    if (label && label.trim()) return label;
    if (node.localName === "img") return node.getAttribute("alt") ?? "";
    if (node.localName === "input" && ["button", "submit", "reset"].includes(node.type)) return node.value;
    const parts = [...(node.shadowRoot ?? node).childNodes].map(contentText);
    const block = getComputedStyle(node).display !== "inline";
    return block ? ` ${parts.join("")} ` : parts.join("");
  }

  function byIds(el, attribute) {
    const ids = (el.getAttribute(attribute) ?? "").trim().split(/\s+/).filter(Boolean);
    const root = el.getRootNode();
    return ids.map((id) => root.getElementById?.(id) ?? document.getElementById(id)).filter(Boolean);
  }

  // The accessible name, following the order of accname 1.2 for the cases the pages use.
  function accessibleName(el) {
    const labelledBy = byIds(el, "aria-labelledby");
    if (labelledBy.length) return squash(labelledBy.map((e) => e.getAttribute("aria-label") || contentText(e)).join(" "));
    const ariaLabel = el.getAttribute("aria-label");
    if (ariaLabel && ariaLabel.trim()) return squash(ariaLabel);
    if (el.labels && el.labels.length) return squash([...el.labels].map(contentText).join(" "));
    if (el.localName === "input" && ["button", "submit", "reset"].includes(el.type)) return squash(el.value);
    if (el.localName === "img") return squash(el.getAttribute("alt"));
    if (el.localName === "fieldset") {
      const legend = el.querySelector(":scope > legend");
      if (legend) return squash(contentText(legend));
    }
    if (NAME_FROM_CONTENT.has(role(el))) {
      const text = squash(contentText(el));
      if (text) return text;
    }
    return squash(el.getAttribute("title") ?? el.getAttribute("placeholder") ?? "");
  }

  // getByLabel: the text of the element's <label>s, aria-labelledby targets or aria-label.
  function labelTexts(el) {
    const texts = [];
    const ariaLabel = el.getAttribute("aria-label");
    if (ariaLabel) texts.push(ariaLabel);
    for (const e of byIds(el, "aria-labelledby")) texts.push(contentText(e));
    for (const label of el.labels ?? []) texts.push(contentText(label));
    return texts;
  }

  let scope = [document];
  for (const step of steps) {
    const next = [];
    const add = (el) => { if (!next.includes(el)) next.push(el); };
    if (step.kind === "nth") {
      const el = step.index < 0 ? scope[scope.length + step.index] : scope[step.index];
      scope = el ? [el] : [];
      continue;
    }
    if (step.kind === "filter") {
      scope = scope.filter((el) => matches(contentText(el), step.hasText, false));
      continue;
    }
    for (const root of scope) {
      if (step.kind === "css") {
        queryCss(root, step.selector).forEach(add);
      } else if (step.kind === "role") {
        for (const el of allElements(root)) {
          if (role(el) !== step.role || isHidden(el)) continue;
          if (step.name === undefined || matches(accessibleName(el), step.name, step.exact)) add(el);
        }
      } else if (step.kind === "label") {
        for (const el of allElements(root)) {
          if (labelTexts(el).some((t) => matches(t, step.text, step.exact))) add(el);
        }
      } else if (step.kind === "text") {
        // The smallest elements whose text matches (not their ancestors too).
        const hits = allElements(root).filter((el) => !["script", "style"].includes(el.localName) &&
          matches(contentText(el), step.text, step.exact));
        hits.filter((el) => !hits.some((other) => other !== el && el.contains(other))).forEach(add);
      } else {
        throw new Error(`unknown locator step ${JSON.stringify(step)}`);
      }
    }
    scope = next;
  }

  const els = scope.filter((e) => e !== document);
  if (op === "elements") return els;
  if (op === "element") return els[0] ?? null;
  const el = els[0];
  const probe = {
    count: els.length,
    visible: el ? isVisible(el) : false,
    enabled: el ? !(el.disabled || el.closest?.("fieldset[disabled]") || el.getAttribute("aria-disabled") === "true") : false,
    editable: el ? !el.readOnly && !el.disabled : false,
    checked: el ? Boolean(el.checked || el.getAttribute("aria-checked") === "true") : false,
  };
  // An operation runs only on exactly one element that meets `needs`; otherwise the caller polls again.
  const ready = probe.count === 1 && Object.entries(needs ?? {}).every(([key, wanted]) => !wanted || probe[key]);
  if (op === "probe" || !ready) return { probe, ready };
  return { probe, ready, value: operate(el) };

  function operate(el) {
    switch (op) {
      case "value": return el.value;
      case "attribute": return el.getAttribute(arg);
      case "text": return el.textContent;
      case "focus": el.focus(); return null;
      case "dispatch": el.dispatchEvent(new Event(arg.type, { bubbles: true, cancelable: true, composed: true, ...arg.init })); return null;
      case "fill": {
        // As Playwright's fill: focus, select all, insert the text as an edit
        // (so Enter or blur fires change, as after typing), one input event.
        el.focus();
        try { el.select(); } catch { /* inputs without a selection */ }
        if (!document.execCommand(arg === "" ? "delete" : "insertText", false, arg) || el.value !== arg) {
          const proto = el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
          Object.getOwnPropertyDescriptor(proto, "value").set.call(el, arg);
          el.dispatchEvent(new InputEvent("input", { bubbles: true, composed: true, inputType: "insertText", data: arg }));
        }
        return null;
      }
      case "select": {
        // As Playwright's selectOption(value | { label }): the option chosen, then input and change.
        const option = [...el.options].find((o) => (typeof arg === "string" ? o.value === arg : o.label === arg.label));
        if (!option) throw new Error(`no option ${JSON.stringify(arg)} in the select`);
        el.value = option.value;
        el.dispatchEvent(new Event("input", { bubbles: true, composed: true }));
        el.dispatchEvent(new Event("change", { bubbles: true }));
        return [option.value];
      }
      default: throw new Error(`unknown in-page op ${op}`);
    }
  }
}
