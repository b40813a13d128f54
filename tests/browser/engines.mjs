// Which browser test files run in which engine. Every file runs in Chromium
// (playwright-core); the files below also run in Firefox ESR (puppeteer-core
// over WebDriver BiDi), as a second, separately counted suite of `npm test`
// (scripts/run-suites.mjs sets BN_BROWSER=firefox for it; tests/browser/browser.mjs
// picks the engine). A file listed here must not need what the Firefox
// driver cannot do (./firefox/driver.mjs: no dark colorScheme, no CDP tracing).
export const ENGINES = ["chromium", "firefox"];

export const FIREFOX_FILES = [
  "stepper.test.mjs",
  "stepper-model.test.mjs",
  "stepper-lab-numbers.test.mjs",
  "trainer.test.mjs",
  "embed.test.mjs",
  "module-load.test.mjs",
  "scalar-build.test.mjs",
  "package-widgets.test.mjs",
  "docs-site.test.mjs",
];
