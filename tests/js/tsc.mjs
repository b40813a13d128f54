// Runs the TypeScript compiler (the typescript devDependency) the way the
// type tests check the declarations: `tsc --noEmit --strict` with ES module
// resolution as Node does it (package.json "exports", "types" condition).
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";

const TSC = createRequire(import.meta.url).resolve("typescript/bin/tsc");
export const TSC_FLAGS = ["--noEmit", "--strict", "--target", "es2022", "--module", "nodenext", "--moduleResolution", "nodenext",
  "--lib", "es2022,dom"];

// tsc on `files` (paths relative to `cwd`): { status, output, diagnostics: [{ file, line, code, message }] }.
export function runTsc(files, cwd) {
  const r = spawnSync(process.execPath, [TSC, ...TSC_FLAGS, ...files], { cwd, encoding: "utf8" });
  const diagnostics = [...r.stdout.matchAll(/^(.+?)\((\d+),\d+\): error (TS\d+): (.*)$/gm)]
    .map(([, file, line, code, message]) => ({ file, line: Number(line), code, message }));
  return { status: r.status, output: r.stdout + r.stderr, diagnostics };
}
