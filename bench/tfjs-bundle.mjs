// Bundles bench/tfjs-entry.mjs with esbuild into build/bench-tfjs/tfjs.cjs
// (tfjs's ES module sources use extensionless imports that Node cannot load;
// CommonJS output because the Emscripten glue inside uses __dirname).
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
export const TFJS_BUNDLE = `${root}build/bench-tfjs/tfjs.cjs`;

export async function bundleTfjs() {
  await build({
    entryPoints: [`${root}bench/tfjs-entry.mjs`],
    outfile: TFJS_BUNDLE,
    bundle: true,
    platform: "node",
    format: "cjs",
    mainFields: ["module", "main"],
    logLevel: "error",
  });
  return TFJS_BUNDLE;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(await bundleTfjs());
