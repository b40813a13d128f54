// The embeddable widgets: <bn-stepper> (batch norm step by step, on one
// WebAssembly instance shared by every stepper on the page) and
// <bn-trainer> (the live with/without comparison; every trainer on the page
// shares one module Web Worker). Light DOM, so the page's fonts apply and
// tests can query inside. dist/bn-widgets.js is this file bundled.
import { loadBN } from "./bn.js";
import { mountStepper } from "./stepper/mount.js";
import { ATTRIBUTES as STEPPER_ATTRIBUTES, stateFromAttributes } from "./stepper/state.js";
import { mountTrainer } from "./trainer-page/trainer-view.js";
import { controlKeys, FIELDS as TRAINER_FIELDS, fieldByName, stateFromEntries } from "./trainer-page/state.js";
import { stylesheetUrls, wasmDirectory, workerUrl } from "./trainer-page/assets.js";
import { buildName, simdChoice } from "./wasm-choice.js";

let sharedModule = null;
// One WebAssembly instance for the whole page (main thread).
export function sharedBN() {
  sharedModule ??= loadBN({ simd: simdChoice(), locateFile: (name) => new URL(name, wasmDirectory).href });
  return sharedModule;
}

function ensureStylesheets() {
  for (const url of stylesheetUrls) {
    const href = url.href;
    if ([...document.querySelectorAll("link[data-bn-widgets]")].some((l) => l.href === href)) continue;
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    link.dataset.bnWidgets = "";
    document.head.append(link);
  }
}

// <bn-stepper data="1,2;3,5;2,0;4,1" batch="4" features="2" gamma="1,1" beta="0,0"
//   eps="1e-5" momentum="0.1" mode="train|eval" convention="pytorch|keras"
//   phase="forward|backward" step="0" earlier presenter dy-source="manual|loss" dy="…"
//   target="…" history="…" seed="1" random-mean="3" random-spread="2" norm="group" groups="2"
//   shape="2,4,3,3" image="…" image-seed="1" stat="1" probe="1">: every field of the
// stepper's state table (stepper/state.js), under the names and in the text
// forms of its URL (docs/page-hooks.md lists them).
export class BnStepperElement extends HTMLElement {
  static get observedAttributes() { return STEPPER_ATTRIBUTES; }

  #stepper = null;
  #mounting = 0;

  connectedCallback() {
    ensureStylesheets();
    this.#mount();
  }

  disconnectedCallback() {
    this.#mounting += 1;
    this.#stepper?.destroy?.();
    this.#stepper = null;
  }

  attributeChangedCallback() {
    if (this.isConnected && (this.#stepper || this.#mounting)) this.#mount();
  }

  async #mount() {
    const ticket = ++this.#mounting;
    const root = document.createElement("div");
    root.className = "bn-widget bn-stepper-widget";
    root.textContent = "Loading the batch norm stepper…";
    root.setAttribute("aria-busy", "true");
    this.replaceChildren(root);
    try {
      const bn = await sharedBN();
      if (ticket !== this.#mounting || !this.isConnected) return;
      this.#stepper?.destroy?.();
      root.replaceChildren();
      root.removeAttribute("aria-busy");
      root.dataset.wasm = buildName(bn);
      this.#stepper = mountStepper(root, bn, { state: this.#initialState(), syncUrl: false });
    } catch (error) {
      root.textContent = `The stepper could not start: ${error.message}`;
      root.setAttribute("role", "alert");
    }
  }

  #initialState() {
    return stateFromAttributes((name) => this.getAttribute(name));
  }
}

// Attribute names of <bn-trainer>: every field of the trainer's state table
// (trainer-page/state.js) by its key in lower case, its kebab-case attribute
// and its older aliases (lr, dataset, activation, optimizer, batch-size or
// batch, hidden, noise, samples, test-fraction, init, seed, layer,
// steps-per-frame or speed, preset), plus controls, presets and autoplay
// (see docs/widgets.md).
const TRAINER_ATTRIBUTES = [...new Set([...TRAINER_FIELDS.flatMap((f) => [f.key.toLowerCase(), f.attribute, ...(f.aliases ?? [])]
  .filter(Boolean)), "controls", "presets", "autoplay"])];
const DEFAULT_TRAINER_CONTROLS = ["lr", "dataset", "activation", "optimizer", "batchSize", "hidden", "noise"];

export class BnTrainerElement extends HTMLElement {
  static get observedAttributes() { return TRAINER_ATTRIBUTES; }

  #trainer = null;

  connectedCallback() {
    ensureStylesheets();
    this.#mount();
  }

  disconnectedCallback() {
    this.#trainer?.destroy();
    this.#trainer = null;
  }

  attributeChangedCallback() {
    if (this.#trainer) this.#mount();
  }

  #mount() {
    this.#trainer?.destroy();
    const root = document.createElement("div");
    root.className = "bn-widget bn-trainer-widget";
    this.replaceChildren(root);
    this.#trainer = mountTrainer(root, {
      workerUrl,
      state: stateFromEntries([...this.attributes].map((a) => [a.name, a.value])),
      presets: this.hasAttribute("presets"),
      fields: this.#controlList(),
      autoplay: this.hasAttribute("autoplay"),
    });
  }

  #controlList() {
    const text = this.getAttribute("controls");
    if (text === null) return DEFAULT_TRAINER_CONTROLS;
    if (text.trim() === "all") return controlKeys();
    const named = new Set(text.split(/[\s,]+/).filter(Boolean).map((name) => fieldByName(name)?.key));
    return controlKeys().filter((key) => named.has(key));
  }
}

if (!customElements.get("bn-stepper")) customElements.define("bn-stepper", BnStepperElement);
if (!customElements.get("bn-trainer")) customElements.define("bn-trainer", BnTrainerElement);
