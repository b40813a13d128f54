// What the browser bundles of web/js share (scripts/build-dist.mjs: dist/;
// scripts/build-page.mjs: the pages' code in web/build/).

// esbuild's options for both: minified ES modules for today's browsers,
// split into chunks (each import() a chunk of its own), with the metafile.
export const BROWSER_BUNDLE = Object.freeze({
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "browser",
  target: ["es2022"],
  minify: true,
  legalComments: "none",
  metafile: true,
  logLevel: "warning",
});

// The plugin for node: imports. In a browser bn.js never takes its Node branch
// (reading the .wasm with node:fs), and a node: import left in a bundle
// would stop the bundlers of course authors (esbuild, Vite, webpack refuse
// node: modules for the browser), so each is replaced by a module whose
// functions throw.
export const nodeStubPlugin = {
  name: "bn-node-stub",
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: "bn-node-stub" }));
    b.onLoad({ filter: /.*/, namespace: "bn-node-stub" }, (args) => ({
      contents: `const unavailable = () => { throw new Error(${JSON.stringify(`${args.path} is not available: this is a browser build of bn-wasm`)}); };
export const readFile = unavailable;`,
      loader: "js",
    }));
  },
};

// The source of web/js/trainer-page/assets.js for a bundle whose files sit
// in one folder: the worker, the .wasm files and the stylesheets at these
// URLs relative to the bundle (web/js's own assets.js gives them relative
// to its source file).
export function assetsModule({ wasm, stylesheets }) {
  const url = (path) => `new URL(${JSON.stringify(path)}, import.meta.url)`;
  return `import { withWasmChoice } from "../wasm-choice.js";
export const workerUrl = withWasmChoice(${url("./worker.js")});
export const wasmDirectory = ${url(wasm)};
export const stylesheetUrls = [${stylesheets.map(url).join(", ")}];
`;
}

export const TRAINER_ASSETS = /[\\/]trainer-page[\\/]assets\.js$/;
