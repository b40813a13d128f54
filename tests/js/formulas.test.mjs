// The stepper's formulas are pre-rendered at build time (no KaTeX in the
// browser): web/js/stepper/formulas.js names every formula's TeX in two
// groups, scripts/render-formulas.mjs renders them into formulas.generated.js
// (the first view's) and formulas-later.generated.js (the sections loaded
// after the first number), and tex(name) of tex.js / tex-later.js inserts
// that markup. Here: the generated files are current, each entry has its
// MathML with its own TeX, tex() throws for a name that is not registered
// in its group, and every tex() call site in web/js names formulas of the
// group its module imports tex() for (and every entry is used). The browser tests walk every step
// (tests/browser/stepper-formulas.test.mjs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { FORMULAS, FIRST_VIEW_FORMULAS, LATER_FORMULAS } from "../../web/js/stepper/formulas.js";
import * as first from "../../web/js/stepper/tex.js";
import * as later from "../../web/js/stepper/tex-later.js";
import { OUTPUTS, generate, formulaSource, renderFormula } from "../../scripts/render-formulas.mjs";

const WEB_JS = fileURLToPath(new URL("../../web/js/", import.meta.url));
// Each module that imports tex(): the group its call sites may name.
const GROUPS = { "tex.js": FIRST_VIEW_FORMULAS, "tex-later.js": LATER_FORMULAS };
const formulaMarkup = (name) => (Object.hasOwn(FIRST_VIEW_FORMULAS, name) ? first : later).formulaMarkup(name);

const unescapeHtml = (s) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&amp;/g, "&");

test("formulas.generated.js and formulas-later.generated.js are what render-formulas.mjs makes of formulas.js today", async () => {
  assert.deepEqual(OUTPUTS.map((o) => o.file), ["formulas.generated.js", "formulas-later.generated.js"]);
  for (const { file, formulas } of OUTPUTS) {
    assert.equal(await readFile(join(WEB_JS, "stepper", file), "utf8"), generate(formulas), `${file} stale: run bash scripts/build.sh`);
    const { RENDERED } = await import(`../../web/js/stepper/${file}`);
    assert.deepEqual(Object.keys(RENDERED), Object.keys(formulas), file);
  }
  // Two groups, no name in both, every formula in one.
  assert.deepEqual(Object.keys(FIRST_VIEW_FORMULAS).filter((n) => Object.hasOwn(LATER_FORMULAS, n)), []);
  assert.equal(Object.keys(FORMULAS).length, Object.keys(FIRST_VIEW_FORMULAS).length + Object.keys(LATER_FORMULAS).length);
});

test("every formula carries HTML and MathML whose annotation is its own TeX", () => {
  for (const [name, entry] of Object.entries(FORMULAS)) {
    const html = formulaMarkup(name);
    assert.match(html, /<span class="katex-mathml"><math /, `${name}: MathML for screen readers`);
    assert.match(html, /<span class="katex-html" aria-hidden="true">/, `${name}: the visible HTML`);
    const annotation = html.match(/<annotation encoding="application\/x-tex">([^<]*)<\/annotation>/)?.[1];
    assert.equal(unescapeHtml(annotation ?? "").replace(/^\\displaystyle /, ""), formulaSource(entry), name);
  }
});

test("tex() and formulaMarkup() throw for a formula that is not registered in their group, naming it and formulas.js", () => {
  for (const { formulaMarkup: markup } of [first, later]) {
    for (const name of ["noSuchFormula", "x_i - \\mu_B", "", "toString", "__proto__"]) {
      assert.throws(() => markup(name), (e) => e.message.includes(JSON.stringify(name)) && e.message.includes("formulas.js"), name);
    }
  }
  // A formula of the other group is not served: the module importing tex() decides which file is loaded.
  assert.throws(() => first.formulaMarkup("labDx"), /no formula named "labDx" in FIRST_VIEW_FORMULAS/);
  assert.throws(() => later.formulaMarkup("meanBatch"), /no formula named "meanBatch" in LATER_FORMULAS/);
});

test("a formula KaTeX cannot typeset stops the build, naming the entry", () => {
  assert.throws(() => renderFormula("broken", String.raw`\frac{1}{`), /formulas\.js: broken does not typeset/);
  assert.throws(() => renderFormula("unknownMacro", String.raw`\notAMacro x`), /unknownMacro does not typeset/);
  assert.throws(() => renderFormula("empty", ""), /empty has no TeX source/);
});

// tex( calls with their argument text, from every module under web/js.
async function texCallSites() {
  const sites = [];
  const walk = async (dir) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.name.endsWith(".js")) {
        // Modules that import tex(), comment lines blanked (they show examples).
        const text = (await readFile(path, "utf8")).replace(/^\s*\/\/.*$/gm, "");
        const from = text.match(/import\s*\{[^}]*\btex\b[^}]*\}\s*from\s*["'][^"']*?\b(tex(?:-later)?\.js)["']/)?.[1];
        if (!from) continue;
        for (const m of text.matchAll(/(?<![\w.$])tex\(/g)) {
          let depth = 1, i = m.index + m[0].length, quote = null;
          for (; i < text.length && depth > 0; i++) {
            const c = text[i];
            if (quote) { if (c === "\\") i++; else if (c === quote) quote = null; }
            else if (c === '"' || c === "'" || c === "`") quote = c;
            else if (c === "(") depth++;
            else if (c === ")") depth--;
          }
          const args = text.slice(m.index + m[0].length, i - 1);
          sites.push({ file: path.slice(WEB_JS.length), line: text.slice(0, m.index).split("\n").length, args, from });
        }
      }
    }
  };
  await walk(WEB_JS);
  return sites;
}

test("every tex() call site names registered formulas with string literals, and every formula is used", async () => {
  const sites = await texCallSites();
  assert.ok(sites.length >= 20, `found ${sites.length} tex() calls`);
  const used = new Set();
  for (const { file, line, args, from } of sites) {
    // The name argument: everything before a top-level ", {" options object.
    const nameExpr = args.split(/,\s*\{/)[0];
    const where = `web/js/${file}:${line}: tex(${nameExpr})`;
    // "name", or condition ? "name1" : "name2": the outcomes are literals.
    const outcomes = nameExpr.includes("?") ? nameExpr.slice(nameExpr.lastIndexOf("?") + 1) : nameExpr;
    assert.match(outcomes, /^\s*("[\w]+"|'[\w]+')(\s*:\s*("[\w]+"|'[\w]+'))*\s*$/,
      `${where}: the formula's name must be a string literal, or a choice between literals`);
    const literals = [...outcomes.matchAll(/"(\w+)"|'(\w+)'/g)].map((m) => m[1] ?? m[2]);
    for (const name of literals) {
      assert.ok(Object.hasOwn(FORMULAS, name), `${where}: "${name}" is not in web/js/stepper/formulas.js`);
      assert.ok(Object.hasOwn(GROUPS[from], name), `${where}: "${name}" is not in the group ${from} serves`);
      used.add(name);
    }
  }
  assert.deepEqual(Object.keys(FORMULAS).filter((n) => !used.has(n)), [], "registered formulas no tex() call shows");
});
