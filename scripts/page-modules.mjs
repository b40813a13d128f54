// The stepper page's module graph, read from the sources (web/js): the
// modules it imports at start, from its entry js/page-index.js through
// static imports (import ... from "./x.js", export ... from, import
// "./x.js") and the dynamic ones with a literal relative specifier
// (page-index.js: ./stepper/mount.js; bn.js: ../wasm/bn.mjs,
// ./trainer-api.js), except the DEFERRED ones: mount.js imports those after
// the first number is on screen (extras.js: the inference card, the
// normalization lab, the Conv2d fold, export, printing). The page loads
// them bundled (scripts/build-page.mjs -> web/build/):
// tests/js/page-bundle.test.mjs checks that the bundle's start holds the
// modules at start and none of the deferred ones, and
// tests/browser/page-start.test.mjs what the browser fetches before the
// first number.
import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const STATIC = /^\s*(?:import|export)\b[^;'"`]*?\bfrom\s*["']([^"']+)["']|^\s*import\s*["']([^"']+)["']/gm;
const DYNAMIC = /\bimport\(\s*["']([^"']+)["']\s*\)/g;

const relativeSpecifier = (s) => s.startsWith("./") || s.startsWith("../");

// Imported with import() once the first number is on screen (paths relative to web/).
export const DEFERRED = ["js/stepper/extras.js"];

export const PAGE_ENTRIES = ["js/page-index.js"];

const readFrom = (webDir) => (file) => readFileSync(join(webDir, file), "utf8");

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
