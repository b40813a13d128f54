// Shared set-up for browser tests: the browser engine (Debian's chromium
// driven by playwright-core, or Debian's firefox-esr driven by puppeteer-core
// over WebDriver BiDi, never a downloaded browser), pages served by
// scripts/serve.mjs with the strict CSP, and a collector that fails a test on
// any console error, page error or CSP violation.
//
// BN_BROWSER=firefox (set by scripts/run-suites.mjs for the files listed in
// ./engines.mjs) picks Firefox; the default is Chromium. Either way a test
// gets objects with Playwright's API (./firefox/driver.mjs bridges puppeteer),
// so a test file does not branch on the engine.
import { before, after } from "node:test";
import { chromium } from "playwright-core";
import { launchFirefox } from "./firefox/driver.mjs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { startServer } from "../../scripts/serve.mjs";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const WEB_ROOT = fileURLToPath(new URL("../../web/", import.meta.url));
export const DIST_ROOT = fileURLToPath(new URL("../../dist/", import.meta.url));

export const ENGINE = process.env.BN_BROWSER ?? "chromium";
if (!["chromium", "firefox"].includes(ENGINE)) throw new Error(`BN_BROWSER must be chromium or firefox, got ${ENGINE}`);

export async function launchBrowser() {
  if (ENGINE === "firefox") return launchFirefox();
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

// Serves `root` on 127.0.0.1 (random port). Returns { url, close }.
export async function serve(root = WEB_ROOT, options = {}) {
  const { server, url } = await startServer(root, options);
  return { url, close: () => new Promise((r) => server.close(r)) };
}

// Opens a page that records console errors, uncaught page errors and CSP
// violations into `problems` (assert it is empty at the end of a test).
export async function openPage(browser, url, { width = 1280, height = 900, colorScheme = "light" } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  if (url) await page.goto(url);
  return { context, page, problems };
}

// For a test file that needs one browser and one server for all its tests:
// registers node:test before/after hooks that start them (web/ served with
// the strict CSP unless `root` says otherwise), hand them to `receive`, and
// close them at the end.
export function useBrowserAndServer(receive, root = WEB_ROOT, serveOptions = {}) {
  let browser, server;
  before(async () => {
    browser = await launchBrowser();
    server = await serve(root, serveOptions);
    receive(browser, server);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
}

// axe-core's violations on the page (or in the first element `selector` matches): [{ id, impact, nodes, target }].
let axeSource;
export async function axeViolations(page, selector = null) {
  axeSource ??= await readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  await page.evaluate(axeSource);
  return page.evaluate(async (sel) => {
    const r = await window.axe.run(sel ? document.querySelector(sel) : document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, target: v.nodes[0]?.target?.join(" ") }));
  }, selector);
}
