// The npm package as a user gets it: builds dist/, runs `npm pack`, and
// installs the tarball with `npm install <tarball>` into a fresh project in
// a temporary folder outside the repository. Offline (--offline): that works
// because the package has no runtime dependencies. Used by
// tests/js/pack.test.mjs (Node, tsc) and tests/browser/package-widgets.test.mjs.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
export const REPO = fileURLToPath(new URL("../..", import.meta.url));
const NPM_ENV = { ...process.env, npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false" };

// { dir, project, tarball, info (npm pack --json: files, size, unpackedSize…), installed, cleanup() }
export async function packedProject() {
  await run(process.execPath, ["scripts/build-dist.mjs"], { cwd: REPO });
  const dir = await mkdtemp(join(tmpdir(), "bn-wasm-pack-"));
  try {
    const { stdout } = await run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", dir], { cwd: REPO, env: NPM_ENV });
    const [info] = JSON.parse(stdout);
    const project = join(dir, "consumer");
    await mkdir(project);
    await writeFile(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
    const tarball = join(dir, info.filename);
    await run("npm", ["install", "--offline", "--ignore-scripts", "--no-audit", "--no-fund", tarball], { cwd: project, env: NPM_ENV });
    return {
      dir, project, tarball, info,
      installed: join(project, "node_modules", "bn-wasm"),
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
