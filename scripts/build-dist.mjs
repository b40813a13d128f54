// npm run build (after scripts/setup.sh and scripts/build.sh): writes dist/,
// the folder a course author copies next to their page.
//
//   dist/bn-widgets.js        ES module defining <bn-stepper> and <bn-trainer>
//   dist/worker.js            the training worker (module worker)
//   dist/bn-chunk-*.js        code shared by the two (bn.js, the Emscripten glue: one for both builds)
//   dist/bn-simd.wasm, dist/bn-scalar.wasm
//   dist/bn-widgets.css       widget styles; dist/katex/ KaTeX CSS + fonts (woff2)
//   dist/examples/course-notes.html (+ .css)
//
// Bundled and minified with esbuild. Prints the gzip size of every .js,
// .mjs and .wasm in dist/ and fails when their total passes 300 KB.
import { build } from "esbuild";
import { BROWSER_BUNDLE, TRAINER_ASSETS, assetsModule, nodeStubPlugin } from "./esbuild-browser.mjs";
import { cp, mkdir, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const GZIP_LIMIT_BYTES = 300_000;
const root = fileURLToPath(new URL("..", import.meta.url));
const dist = join(root, "dist");
const web = join(root, "web");

// In dist every file sits beside the bundles, so the asset URLs are flat.
const DIST_ASSETS = assetsModule({ wasm: "./", stylesheets: ["./bn-widgets.css", "./katex/katex.min.css"] });

// In dist the stepper's CSS travels in bn-widgets.css (which the widgets
// link into the page, as the trainer's), not as a string in the bundle: the
// stepper then inserts an empty <style>, and its rules come from the sheet.
const NO_STEPPER_CSS = `export const STEPPER_CSS = "";`;

const distAssetsPlugin = {
  name: "bn-dist-assets",
  setup(b) {
    b.onLoad({ filter: TRAINER_ASSETS }, (args) => ({ contents: DIST_ASSETS, loader: "js", resolveDir: dirname(args.path) }));
    b.onLoad({ filter: /[\\/]stepper[\\/]styles\.js$/ }, () => ({ contents: NO_STEPPER_CSS, loader: "js" }));
  },
};

// The page (web/) imports the stepper's sections past its first view
// (stepper/extras.js: inference card, lab, folds, export, the backward pass
// and their formulas) after the first number. In dist they travel in the
// bundle instead: as chunks of their own they would cost about 5 KB gzip of
// the 300 KB budget (what compresses well together, the KaTeX markup above
// all, would be split). So mount.js's import("./extras.js") becomes a static
// import here; mount.js shows them right after the first view all the same.
const EXTRAS_IMPORT = 'import("./extras.js")';
const eagerExtrasPlugin = {
  name: "bn-dist-eager-extras",
  setup(b) {
    b.onLoad({ filter: /[\\/]stepper[\\/]mount\.js$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      if (!source.includes(EXTRAS_IMPORT)) throw new Error(`dist: ${args.path} no longer has ${EXTRAS_IMPORT} (scripts/build-dist.mjs)`);
      return {
        contents: `import { mountExtras as bnMountExtras } from "./extras.js";\n${source.replace(EXTRAS_IMPORT, "Promise.resolve({ mountExtras: bnMountExtras })")}`,
        loader: "js", resolveDir: dirname(args.path),
      };
    });
  },
};

async function bundle() {
  const result = await build({
    ...BROWSER_BUNDLE,
    absWorkingDir: root,
    entryPoints: { "bn-widgets": "web/js/widgets.js", worker: "web/js/worker.js" },
    outdir: dist,
    chunkNames: "bn-chunk-[hash]",
    plugins: [distAssetsPlugin, eagerExtrasPlugin, nodeStubPlugin],
  });
  return result.metafile;
}

async function copyAssets() {
  for (const variant of ["simd", "scalar"]) {
    await cp(join(web, "wasm", `bn-${variant}.wasm`), join(dist, `bn-${variant}.wasm`));
  }
  // uPlot's few rules first, so the trainer's own rules can refine them.
  const css = [await readFile(join(root, "node_modules", "uplot", "dist", "uPlot.min.css"), "utf8"),
    await readFile(join(web, "css", "trainer.css"), "utf8")];
  for (const extra of ["stepper.css"]) {
    const file = join(web, "css", extra);
    if (existsSync(file)) css.push(await readFile(file, "utf8"));
  }
  css.push((await import(pathToFileURL(join(web, "js", "stepper", "styles.js")).href)).STEPPER_CSS);   // see NO_STEPPER_CSS
  await writeFile(join(dist, "bn-widgets.css"), css.join("\n"));
  await mkdir(join(dist, "katex"), { recursive: true });
  await cp(join(root, "node_modules", "katex", "dist", "katex.min.css"), join(dist, "katex", "katex.min.css"));
  // woff2 only: KaTeX's CSS lists it first, and every browser that runs the
  // widgets (ES modules, WebAssembly) takes it, so .woff/.ttf are never fetched.
  await cp(join(root, "node_modules", "katex", "dist", "fonts"), join(dist, "katex", "fonts"),
    { recursive: true, filter: (source) => !/\.(woff|ttf)$/.test(source) });
  await cp(join(web, "favicon.svg"), join(dist, "favicon.svg"));
  await mkdir(join(dist, "examples"), { recursive: true });
  for (const file of ["course-notes.html", "course-notes.css"]) {
    await cp(join(root, "scripts", "dist-examples", file), join(dist, "examples", file));
  }
}

async function listFiles(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...await listFiles(path));
    else out.push(path);
  }
  return out;
}

// gzip -9 size of every .js/.mjs/.wasm in dist/ (fonts and CSS aside).
export async function gzipReport(dir = dist) {
  const rows = [];
  for (const file of (await listFiles(dir)).filter((f) => /\.(m?js|wasm)$/.test(f)).sort()) {
    const body = await readFile(file);
    rows.push({ file: relative(dir, file), bytes: body.length, gzip: gzipSync(body, { level: 9 }).length });
  }
  return { rows, total: rows.reduce((s, r) => s + r.gzip, 0) };
}

async function main() {
  // The formulas KaTeX pre-renders (scripts/build.sh runs render-formulas.mjs).
  for (const file of ["formulas.generated.js", "formulas-later.generated.js"]) {
    if (!existsSync(join(web, "js", "stepper", file))) {
      console.error(`dist: web/js/stepper/${file} is missing: run bash scripts/build.sh first`);
      process.exit(1);
    }
  }
  await rm(dist, { recursive: true, force: true });
  await mkdir(dist, { recursive: true });
  await bundle();
  await copyAssets();
  const { rows, total } = await gzipReport();
  for (const r of rows) console.log(`${r.file.padEnd(32)} ${String(r.bytes).padStart(8)} B  gzip ${String(r.gzip).padStart(7)} B`);
  console.log(`dist: JS + WASM gzipped total ${total} B (${(total / 1000).toFixed(1)} KB; limit ${GZIP_LIMIT_BYTES / 1000} KB, headroom ${((GZIP_LIMIT_BYTES - total) / 1000).toFixed(1)} KB)`);
  if (total > GZIP_LIMIT_BYTES) {
    console.error(`dist: over the ${GZIP_LIMIT_BYTES / 1000} KB gzip limit`);
    process.exit(1);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
