// The stepper's formulas come pre-rendered (web/js/stepper/formulas.js,
// rendered by KaTeX at build time): every step of every mode typesets its
// formula with no page error (and the inference card its own), the page shows every registered formula
// somewhere, each keeps its MathML for screen readers, and no KaTeX
// JavaScript is fetched. The Node side (registry, call sites, tex() throwing
// for an unknown name): tests/js/formulas.test.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { useBrowserAndServer } from "./browser.mjs";
import { openStepper } from "./fixtures/stepper-helpers.mjs";
import { FORMULAS } from "../../web/js/stepper/formulas.js";

let browser, server;
useBrowserAndServer((b, s) => { browser = b; server = s; }, fileURLToPath(new URL("../../", import.meta.url)));

const nameOf = new Map(Object.entries(FORMULAS).map(([name, source]) => [typeof source === "string" ? source : source.tex, name]));

// Every forward and backward step, as printing renders them (the same render
// functions as the live panel), in each mode, convention and source of dy.
test("every step of every mode typesets a registered formula, and together they show them all", { timeout: 90_000 }, async () => {
  const shown = new Set();
  for (const mode of ["train", "eval"]) {
    for (const conv of ["pytorch", "keras"]) {
      for (const dys of ["manual", "loss"]) {
        const { context, page, problems } = await openStepper(browser, `${server.url}web/`,
          { hash: `x=1,2;3,5;2,0;4,1&mode=${mode}&conv=${conv}&dys=${dys}` });
        try {
          await page.evaluate(() => window.dispatchEvent(new Event("beforeprint")));
          const sections = page.locator(".print-steps .print-step");
          assert.equal(await sections.count(), 8 + 7, `${mode} ${conv} ${dys}: every step rendered`);
          const perStep = await sections.evaluateAll((els) => els.map((e) => ({
            title: e.querySelector("h3").textContent,
            sources: [...e.querySelectorAll(".tex annotation")].map((a) => a.textContent.replace(/^\\displaystyle /, "")),
            mathml: e.querySelectorAll(".tex .katex-mathml math").length,
            tex: e.querySelectorAll(".tex").length,
          })));
          for (const step of perStep) {
            // Eval's steps without a formula (the running statistics, dσ², dμ) explain why instead.
            if (step.tex === 0) { assert.ok(mode === "eval" && /^(Forward 8|Backward 5|Backward 6)\./.test(step.title), `${step.title}: no formula`); continue; }
            assert.equal(step.mathml, step.tex, `${step.title}: MathML in every formula`);
            for (const source of step.sources) {
              assert.ok(nameOf.has(source), `${step.title}: "${source}" is not a registered formula`);
              shown.add(nameOf.get(source));
            }
          }
          assert.match(await sections.nth(0).textContent(), /m = 4, K = 2/, "the batch's shape after its formula");
          // The inference card (eval as one linear map, the fold) has formulas of its own.
          const cardSources = await page.locator(".card-inference .tex annotation").evaluateAll((els) =>
            els.map((a) => a.textContent.replace(/^\\displaystyle /, "")));
          for (const source of cardSources) {
            assert.ok(nameOf.has(source), `inference card: "${source}" is not a registered formula`);
            shown.add(nameOf.get(source));
          }
          const requests = await page.evaluate(() => performance.getEntriesByType("resource").map((e) => e.name));
          assert.ok(requests.some((u) => u.endsWith("/katex.min.css")), "KaTeX's CSS is loaded");
          assert.deepEqual(requests.filter((u) => /katex/i.test(u) && !/\.(css|woff2?|ttf)$/.test(u)), [], "no KaTeX script fetched");
          assert.deepEqual(problems(), []);
        } finally {
          await context.close();
        }
      }
    }
  }
  // The normalization lab's formulas, one layer at a time.
  for (const norm of ["batch2d", "layer", "group", "instance"]) {
    const { context, page, problems } = await openStepper(browser, `${server.url}web/`, { hash: `x=1,2;3,5&norm=${norm}` });
    try {
      const sources = await page.locator(".card-lab .tex annotation").evaluateAll((els) => els.map((a) => a.textContent.replace(/^\\displaystyle /, "")));
      assert.equal(sources.length, 5, `${norm}: μ, σ², x̂ and y, dx, dγ and dβ`);
      for (const source of sources) {
        assert.ok(nameOf.has(source), `lab ${norm}: "${source}" is not a registered formula`);
        shown.add(nameOf.get(source));
      }
      assert.deepEqual(problems(), []);
    } finally {
      await context.close();
    }
  }
  assert.deepEqual(Object.keys(FORMULAS).filter((n) => !shown.has(n)), [], "registered formulas no step showed");
});
