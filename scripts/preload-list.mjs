// The stepper page's module preload list (web/index.html): every module the
// page imports at start, so the browser fetches them all at once instead of
// one import depth after another (six levels of the module graph, then the
// Emscripten glue and trainer-api.js that bn.js imports in loadBN()).
//   node scripts/preload-list.mjs          prints the list, exit 1 if the page's differs
//   node scripts/preload-list.mjs --write  writes it into the page
// The modules at start: the page's <script type="module"> entries, every
// module they reach through static imports (import ... from "./x.js",
// export ... from, import "./x.js"), and the modules those import
// dynamically with a literal relative specifier (page-index.js:
// ./stepper/mount.js; bn.js: ../wasm/bn.mjs, ./trainer-api.js), except the
// DEFERRED ones: mount.js imports those after the first number is on screen
// (extras.js: the inference card, the normalization lab, the Conv2d fold,
// export, printing), so they and the modules only they import are not
// preloaded (a preload would compete with the first view's modules and the
// .wasm for the connections). The .wasm is not in the list: which build to
// fetch is decided at run time. tests/js/preload.test.mjs checks the
// page's list; tests/browser/page-start.test.mjs checks, in the browser,
// that the page requests exactly these before its first number.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const STATIC = /^\s*(?:import|export)\b[^;'"`]*?\bfrom\s*["']([^"']+)["']|^\s*import\s*["']([^"']+)["']/gm;
const DYNAMIC = /\bimport\(\s*["']([^"']+)["']\s*\)/g;
const BEGIN = "<!-- modulepreload: begin (node scripts/preload-list.mjs --write) -->";
const END = "<!-- modulepreload: end -->";

const relativeSpecifier = (s) => s.startsWith("./") || s.startsWith("../");

// Imported with import() once the first number is on screen (paths relative to web/).
export const DEFERRED = ["js/stepper/extras.js"];

const readFrom = (webDir) => (file) => readFileSync(join(webDir, file), "utf8");

// The page's module entries, as paths relative to its folder.
export function moduleEntries(html) {
  return [...html.matchAll(/<script\b[^>]*\btype="module"[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]);
}

// The page's modulepreload hrefs, in order.
export function preloadedModules(html) {
  return [...html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g)].map((m) => m[1]);
}

// Every module reached from `entries` (entries first, then the graph in the
// order found), as paths relative to webDir: through static imports, and
// through dynamic ones unless they import one of `deferred`. `read(file)`
// gives a module's source (default: the file in webDir).
export function moduleGraph(webDir, entries, { deferred = [], read = readFrom(webDir) } = {}) {
  const found = new Set();
  const resolved = (file, spec) => relative(webDir, resolve(webDir, dirname(file), spec));
  const visit = (file) => {
    if (found.has(file)) return;
    found.add(file);
    const source = read(file);
    const specifiers = (pattern) => [...source.matchAll(pattern)].map((m) => m[1] ?? m[2]).filter(relativeSpecifier);
    for (const m of specifiers(STATIC).map((spec) => resolved(file, spec))) visit(m);
    for (const m of specifiers(DYNAMIC).map((spec) => resolved(file, spec))) if (!deferred.includes(m)) visit(m);
  };
  for (const entry of entries) visit(entry);
  return [...found];
}

// Every module the page imports at start.
export function startModules(webDir, entries, { read } = {}) {
  return moduleGraph(webDir, entries, { deferred: DEFERRED, read });
}

// The modules imported only after the first number (DEFERRED and what they
// import that is not imported at start).
export function deferredModules(webDir, entries, { read } = {}) {
  const atStart = startModules(webDir, entries, { read });
  return moduleGraph(webDir, DEFERRED, { read }).filter((m) => !atStart.includes(m));
}

// What the page should preload: the modules at start less its entries.
export function expectedPreloads(webDir, html, { read } = {}) {
  const entries = moduleEntries(html);
  return startModules(webDir, entries, { read }).filter((m) => !entries.includes(m));
}

// The modules missing from the page's list, and those in it that the page
// does not import at start (stale).
export function comparePreloads(expected, listed) {
  return { missing: expected.filter((m) => !listed.includes(m)), stale: listed.filter((m) => !expected.includes(m)) };
}

export function withPreloads(html, modules) {
  const start = html.indexOf(BEGIN), end = html.indexOf(END);
  if (start < 0 || end < start) throw new Error(`the page has no ${BEGIN} ... ${END} block`);
  const links = modules.map((m) => `<link rel="modulepreload" href="${m}">`).join("\n");
  return `${html.slice(0, start + BEGIN.length)}\n${links}\n${html.slice(end)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const webDir = fileURLToPath(new URL("../web/", import.meta.url));
  const page = join(webDir, "index.html");
  const html = readFileSync(page, "utf8");
  const expected = expectedPreloads(webDir, html);
  if (process.argv.includes("--write")) {
    writeFileSync(page, withPreloads(html, expected));
    console.log(`web/index.html: ${expected.length} modules preloaded`);
  } else {
    const { missing, stale } = comparePreloads(expected, preloadedModules(html));
    console.log(expected.join("\n"));
    if (missing.length || stale.length) {
      console.error(`web/index.html: missing ${missing.join(", ") || "none"}; stale ${stale.join(", ") || "none"} (run with --write)`);
      process.exit(1);
    }
  }
}
