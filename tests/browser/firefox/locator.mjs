// A Playwright-style Locator over a puppeteer page, for the Firefox engine:
// a lazy chain of steps (CSS, role, label, text, nth, filter) resolved in the
// page each time it is used, with Playwright's auto-waiting (an action waits
// until its one element exists, is visible and enabled) and its strictness
// (an action on a locator that matches several elements is an error).
// Covers the part of Playwright's Locator API that the browser tests use.
import { inPage } from "./in-page.mjs";

export const DEFAULT_TIMEOUT_MS = 30_000;
const POLL_MS = 50;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// A string or RegExp as in-page inPage() takes it.
const pattern = (p) => (p instanceof RegExp ? { regex: p.source, flags: p.flags } : p);

export class Locator {
  #page;     // puppeteer Page
  #steps;

  constructor(page, steps) {
    this.#page = page;
    this.#steps = steps;
  }

  toString() { return `locator ${JSON.stringify(this.#steps)}`; }

  #with(step) { return new Locator(this.#page, [...this.#steps, step]); }
  locator(selector) { return this.#with({ kind: "css", selector }); }
  getByRole(role, { name, exact = false } = {}) { return this.#with({ kind: "role", role, name: pattern(name), exact }); }
  getByLabel(text, { exact = false } = {}) { return this.#with({ kind: "label", text: pattern(text), exact }); }
  getByText(text, { exact = false } = {}) { return this.#with({ kind: "text", text: pattern(text), exact }); }
  filter({ hasText }) { return this.#with({ kind: "filter", hasText: pattern(hasText) }); }
  nth(index) { return this.#with({ kind: "nth", index }); }
  first() { return this.nth(0); }
  last() { return this.nth(-1); }

  async count() { return (await this.#probe()).count; }
  async all() { return Array.from({ length: await this.count() }, (_, i) => this.nth(i)); }

  async #probe() { return (await this.#page.evaluate(inPage, this.#steps, "probe", null, null)).probe; }

  // Runs the in-page `op` once the locator matches exactly one element that
  // meets `needs` (visible / enabled / editable), polling as Playwright's
  // actions wait; a match of several elements is an error (strict mode).
  async #run(op, arg = null, needs = {}, timeout = DEFAULT_TIMEOUT_MS) {
    const deadline = Date.now() + timeout;
    for (;;) {
      const result = await this.#page.evaluate(inPage, this.#steps, op, arg, needs);
      if (result.probe.count > 1) throw new Error(`strict mode violation: ${this} matches ${result.probe.count} elements`);
      if (result.ready) return result;
      if (Date.now() > deadline) {
        throw new Error(`timed out after ${timeout} ms waiting for ${this} (${JSON.stringify(result.probe)})`);
      }
      await sleep(POLL_MS);
    }
  }

  async #ready(needs) { return (await this.#run("probe", null, needs)).probe; }
  async #inPage(op, arg, needs) { return (await this.#run(op, arg, needs)).value; }

  async #handle(needs) {
    await this.#ready(needs);
    const handle = await this.#page.evaluateHandle(inPage, this.#steps, "element", null, null);
    const element = handle.asElement();
    if (!element) {
      await handle.dispose();
      throw new Error(`${this} matched nothing when it was acted on`);
    }
    return element;
  }

  async waitFor({ state = "visible", timeout = DEFAULT_TIMEOUT_MS } = {}) {
    const deadline = Date.now() + timeout;
    for (;;) {
      const { count, visible } = await this.#probe();
      const done = state === "attached" ? count >= 1 : state === "visible" ? count >= 1 && visible
        : state === "detached" ? count === 0 : count === 0 || !visible;
      if (done) return;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${this} to be ${state}`);
      await sleep(POLL_MS);
    }
  }

  async isVisible() {
    const { count, visible } = await this.#probe();
    if (count > 1) throw new Error(`strict mode violation: ${this} matches ${count} elements`);
    return count === 1 && visible;
  }
  async isDisabled() { return !(await this.#ready()).enabled; }
  async isEnabled() { return (await this.#ready()).enabled; }
  async isChecked() { return (await this.#ready()).checked; }

  inputValue() { return this.#inPage("value"); }
  getAttribute(name) { return this.#inPage("attribute", name); }
  textContent() { return this.#inPage("text"); }
  focus() { return this.#inPage("focus"); }
  dispatchEvent(type, init = {}) { return this.#inPage("dispatch", { type, init }); }
  fill(value) { return this.#inPage("fill", String(value), { visible: true, enabled: true, editable: true }); }
  selectOption(choice) { return this.#inPage("select", choice, { visible: true, enabled: true }); }

  async click() {
    const element = await this.#handle({ visible: true, enabled: true });
    try {
      await element.click();
    } finally {
      await element.dispose();
    }
  }

  async check() {
    if ((await this.#ready()).checked) return;
    await this.click();
    if (!(await this.#ready()).checked) throw new Error(`${this} did not become checked`);
  }

  async press(key) {
    await this.focus();
    await pressKeys(this.#page.keyboard, key);
  }

  async boundingBox() {
    const element = await this.#handle();
    try {
      return await element.boundingBox();
    } finally {
      await element.dispose();
    }
  }

  async evaluate(fn, arg) {
    const element = await this.#handle();
    try {
      return await element.evaluate(fn, arg);
    } finally {
      await element.dispose();
    }
  }

  async evaluateAll(fn, arg) {
    const list = await this.#page.evaluateHandle(inPage, this.#steps, "elements", null, null);
    try {
      return await list.evaluate(fn, arg);
    } finally {
      await list.dispose();
    }
  }
}

// Playwright's key syntax "Control+Shift+A": modifiers held while the last key is pressed.
export async function pressKeys(keyboard, combo) {
  const keys = combo === "+" ? ["+"] : combo.split("+");
  const key = keys.pop();
  for (const modifier of keys) await keyboard.down(modifier);
  await keyboard.press(key);
  for (const modifier of keys.reverse()) await keyboard.up(modifier);
}
