// Firefox ESR (Debian's firefox-esr, never a downloaded browser) driven by
// puppeteer-core over WebDriver BiDi, wrapped so that the browser tests can
// use it with the calls they use on Playwright's Chromium: the browser,
// context and page objects below have Playwright's names and argument orders
// where puppeteer's differ. What differs, and how it is bridged:
//   - contexts: Playwright newContext({ viewport, colorScheme }) / puppeteer
//     createBrowserContext() + page.setViewport(); prefers-color-scheme is
//     CDP-only in puppeteer, so only "light" (Firefox's headless default) is offered.
//   - locators: puppeteer has no getByRole / getByLabel; ./locator.mjs
//     implements them (and Playwright's auto-waiting and strictness).
//   - events: Playwright "worker" is puppeteer "workercreated"; Firefox also
//     reports data: URLs as requests, which Chromium does not: they are left out.
//   - page.waitForFunction(fn, arg, options) vs (fn, options, ...args), and
//     puppeteer polls by compiling a function inside the page, which the
//     strict CSP forbids: polled from here instead, through a handle (a DOM
//     node is a truthy result, as in Playwright; evaluate() cannot return one).
//     waitForTimeout is gone from puppeteer. addInitScript is evaluateOnNewDocument.
//   - keyboard.press("Control+A"): puppeteer takes one key; combos are split.
import puppeteer from "puppeteer-core";
import { DEFAULT_TIMEOUT_MS, Locator, pressKeys } from "./locator.mjs";

export const FIREFOX = process.env.FIREFOX_PATH ?? "/usr/bin/firefox-esr";

export async function launchFirefox() {
  const browser = await puppeteer.launch({
    browser: "firefox",
    executablePath: FIREFOX,
    headless: true,
    // No network of its own beyond the test server: no updates, telemetry or safe-browsing lists.
    extraPrefsFirefox: {
      "app.update.enabled": false, "browser.safebrowsing.malware.enabled": false,
      "browser.safebrowsing.phishing.enabled": false, "datareporting.policy.dataSubmissionEnabled": false,
      "network.captive-portal-service.enabled": false, "network.connectivity-service.enabled": false,
    },
  });
  return new FirefoxBrowser(browser);
}

class FirefoxBrowser {
  #browser;
  constructor(browser) { this.#browser = browser; }
  get engine() { return "firefox"; }
  version() { return this.#browser.version(); }

  async newContext({ viewport = { width: 1280, height: 720 }, colorScheme = "light" } = {}) {
    if (colorScheme !== "light") {
      throw new Error(`the firefox engine helper cannot emulate colorScheme "${colorScheme}" (puppeteer does it over CDP only)`);
    }
    return new FirefoxContext(await this.#browser.createBrowserContext(), viewport);
  }

  close() { return this.#browser.close(); }
}

class FirefoxContext {
  #context;
  #viewport;
  constructor(context, viewport) {
    this.#context = context;
    this.#viewport = viewport;
  }

  async newPage() {
    const page = await this.#context.newPage();
    if (this.#viewport) await page.setViewport(this.#viewport);
    return new FirefoxPage(page);
  }

  close() { return this.#context.close(); }
}

const EVENT_NAMES = { worker: "workercreated" };

class FirefoxPage {
  #page;
  constructor(page) {
    this.#page = page;
    this.keyboard = {
      press: (key) => pressKeys(page.keyboard, key),
      down: (key) => page.keyboard.down(key),
      up: (key) => page.keyboard.up(key),
      type: (text) => page.keyboard.type(text),
    };
  }

  on(event, listener) {
    if (event === "request" || event === "response") {
      this.#page.on(event, (r) => { if (!r.url().startsWith("data:")) listener(r); });
    } else {
      this.#page.on(EVENT_NAMES[event] ?? event, listener);
    }
    return this;
  }

  goto(url) { return this.#page.goto(url); }
  reload() { return this.#page.reload(); }
  url() { return this.#page.url(); }
  close() { return this.#page.close(); }
  addInitScript(fn, arg) { return this.#page.evaluateOnNewDocument(fn, arg); }
  evaluate(fn, arg) { return this.#page.evaluate(fn, arg); }
  waitForTimeout(ms) { return new Promise((r) => setTimeout(r, ms)); }

  // As Playwright's: resolves with a handle to the first truthy value (a DOM node counts).
  async waitForFunction(fn, arg, { timeout = DEFAULT_TIMEOUT_MS, polling = 50 } = {}) {
    const deadline = Date.now() + timeout;
    for (;;) {
      const handle = await this.#page.evaluateHandle(fn, arg);
      if (await handle.evaluate((value) => Boolean(value))) return handle;
      await handle.dispose();
      if (Date.now() > deadline) throw new Error(`waitForFunction timed out after ${timeout} ms: ${fn}`);
      await new Promise((r) => setTimeout(r, typeof polling === "number" ? polling : 50));
    }
  }

  locator(selector) { return new Locator(this.#page, [{ kind: "css", selector }]); }
  getByRole(role, options) { return new Locator(this.#page, []).getByRole(role, options); }
  getByLabel(text, options) { return new Locator(this.#page, []).getByLabel(text, options); }
  getByText(text, options) { return new Locator(this.#page, []).getByText(text, options); }
}
