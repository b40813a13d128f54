// The pages' code, bundled: web/js/page-index.js (the stepper page),
// web/js/trainer-page/main.js (the trainer page) and web/js/worker.js (its
// training worker), with every module they import -> web/build/ (minified
// ES modules, with source maps; code they share in chunks), the files
// web/index.html and web/trainer.html load. scripts/build.sh runs it last
// (the bundles hold the glue, formulas.generated.js and web/vendor's uPlot).
//
// Why: served as ~50 separate modules, the page spent about 100 ms of its
// main thread on requests and module compiles before its first number (a
// Chromium trace: resource requests and responses ~80 ms, compiles), more
// than the .wasm's own fetch and compile; bundled, the first number came
// 100-145 ms sooner (bench/page-load.mjs, paired). The sections the stepper
// imports after its first number (js/stepper/extras.js) stay an import():
// esbuild makes them a chunk of their own, fetched then.
// web/js stays the source and what Node, the tests and the npm package
// import; after editing it, run this again (npm test does; npm start keeps
// the bundles up to date while it serves: watchPage below).
//
//   node scripts/build-page.mjs [WEB_DIR]   (default: this repo's web/)
// writes WEB_DIR/build/: page-index.js, trainer.js, worker.js, chunk-*.js, *.map and meta.json
// (esbuild's metafile: which sources each output holds; the page tests read it).
import { build, context } from "esbuild";
import { mkdir, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { BROWSER_BUNDLE, TRAINER_ASSETS, assetsModule, nodeStubPlugin } from "./esbuild-browser.mjs";

export const PAGE_ENTRY = "js/page-index.js";
export const PAGE_BUILD = "build";
const ENTRIES = { "page-index": PAGE_ENTRY, trainer: "js/trainer-page/main.js", worker: "js/worker.js" };

// In web/build/ the trainer's worker is build/worker.js, beside the bundle.
const BUILD_ASSETS = assetsModule({ wasm: "../wasm/", stylesheets: ["../vendor/uplot/uPlot.min.css", "../css/trainer.css", "../vendor/katex/katex.min.css"] });

// The imports the page makes at start with import() (page-index.js: the
// stepper's first view while the WASM loads; bn.js: the glue and the
// Trainer wrapper, each module of this project has the binding), made static
// in the bundle, so that their code arrives with the entry instead of one
// request after another once it runs. Each must still be in its file.
export const EAGER_IMPORTS = {
  "js/page-index.js": ['import("./stepper/mount.js")'],
  "js/bn.js": ['import("../wasm/bn.mjs")', 'import("./trainer-api.js")'],
};

// The bundle's trainer assets (BUILD_ASSETS) and its static imports (EAGER_IMPORTS).
const pagePlugin = (webDir) => ({
  name: "bn-page-build",
  setup(b) {
    b.onLoad({ filter: TRAINER_ASSETS }, (args) => ({ contents: BUILD_ASSETS, loader: "js", resolveDir: dirname(args.path) }));
    b.onLoad({ filter: /\.js$/ }, async (args) => {
      const file = relative(webDir, args.path).split(sep).join("/");
      const eager = EAGER_IMPORTS[file];
      if (!eager) return undefined;
      let source = await readFile(args.path, "utf8");
      const header = eager.map((call, i) => {
        if (!source.includes(call)) throw new Error(`build-page: ${file} no longer has ${call} (scripts/build-page.mjs)`);
        source = source.replaceAll(call, `Promise.resolve(bnEager${i})`);
        return `import * as bnEager${i} from ${call.slice("import(".length, -1)};`;
      });
      return { contents: `${header.join("\n")}\n${source}`, loader: "js", resolveDir: dirname(args.path) };
    });
  },
});

const WEB_DIR = fileURLToPath(new URL("../web/", import.meta.url));

// esbuild's options for the web folder `root` (its build/ folder the output).
function pageOptions(root) {
  return {
    ...BROWSER_BUNDLE,
    absWorkingDir: root,
    entryPoints: ENTRIES,
    outdir: join(root, PAGE_BUILD),
    sourcemap: "linked",
    chunkNames: "chunk-[hash]",
    plugins: [pagePlugin(root), nodeStubPlugin],
  };
}

export async function buildPage(webDir = WEB_DIR) {
  const root = resolve(webDir);
  const outdir = join(root, PAGE_BUILD);
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  const result = await build(pageOptions(root));
  await writeFile(join(outdir, "meta.json"), JSON.stringify(result.metafile));
  return result.metafile;
}

// npm start (scripts/serve.mjs --watch): builds once, then again whenever
// a file the bundles read changes, so that a reload shows an edit of
// web/js. A build that fails writes nothing (the last good bundles stay
// served); one that succeeds replaces build/'s files. `onBuild(errors)`
// after each build an edit started (esbuild's errors, [] when it built).
// Resolves once watching (its own first build done) with esbuild's context
// (dispose() stops watching).
export async function watchPage(webDir = WEB_DIR, onBuild = () => {}) {
  const root = resolve(webDir);
  await buildPage(root);
  const options = pageOptions(root);
  let watching;
  const started = new Promise((resolveStart) => { watching = resolveStart; });
  let builds = 0;
  const writer = {
    name: "bn-page-write",
    setup(b) {
      b.onEnd(async (result) => {
        if (result.errors.length === 0) {
          const fresh = new Set(result.outputFiles.map((f) => f.path));
          for (const f of await readdir(options.outdir)) {
            const path = join(options.outdir, f);
            if (!fresh.has(path) && f !== "meta.json") await rm(path, { force: true });
          }
          for (const f of result.outputFiles) await writeFile(f.path, f.contents);
          await writeFile(join(options.outdir, "meta.json"), JSON.stringify(result.metafile));
        }
        if (builds++ === 0) watching();
        else onBuild(result.errors);
      });
    },
  };
  const ctx = await context({ ...options, write: false, logLevel: "silent", plugins: [...options.plugins, writer] });
  await ctx.watch();
  await started;
  return ctx;
}

// In a metafile of buildPage: the outputs a page fetches at start (its
// entry's, default the stepper's, and, transitively, those imported
// statically), paths relative to the web folder (build/...).
export function startOutputs(meta, entryPoint = PAGE_ENTRY) {
  const entry = Object.keys(meta.outputs).find((f) => meta.outputs[f].entryPoint === entryPoint);
  const found = new Set();
  const visit = (file) => {
    if (found.has(file)) return;
    found.add(file);
    for (const i of meta.outputs[file].imports) if (i.kind === "import-statement") visit(i.path);
  };
  visit(entry);
  return [...found];
}

// The sources an output holds (paths relative to the web folder).
export const sourcesOf = (meta, file) => Object.keys(meta.outputs[file].inputs);

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const meta = await buildPage(process.argv[2]);
  const files = Object.keys(meta.outputs).filter((f) => f.endsWith(".js"));
  console.log(`build: web/build/ (the pages' code): ${files.length} files, ${(files.reduce((s, f) => s + meta.outputs[f].bytes, 0) / 1000).toFixed(0)} KB`);
}
