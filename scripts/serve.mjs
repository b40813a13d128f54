// A small static file server for web/ (npm start) and for dist/ (tests of the
// embed). Sends the strict Content-Security-Policy of docs/page-hooks.md, so the
// page is always tried the way course authors will host it.
// Usage: node scripts/serve.mjs [root] [--port N] [--watch]   (PORT env also works)
// --watch (npm start): the pages' bundles in root/build/ are built again
// whenever a file of web/js changes (scripts/build-page.mjs), so that a
// reload shows the edit.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

export const STRICT_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'";

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm", ".json": "application/json", ".svg": "image/svg+xml",
  ".png": "image/png", ".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf",
  ".csv": "text/csv", ".txt": "text/plain; charset=utf-8", ".ico": "image/x-icon",
};

export function startServer(root, { port = 0, host = "127.0.0.1", csp = STRICT_CSP } = {}) {
  const base = resolve(root);
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
      let file = normalize(join(base, path));
      if (file !== base && !file.startsWith(base + sep)) throw Object.assign(new Error("outside root"), { code: "ENOENT" });
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      const body = await readFile(file);
      res.writeHead(200, {
        "Content-Type": TYPES[extname(file)] ?? "application/octet-stream",
        "Content-Security-Policy": csp,
        "Cache-Control": "no-cache",
      });
      res.end(body);
    } catch (e) {
      res.writeHead(e.code === "ENOENT" || e.code === "ENOTDIR" ? 404 : 500, { "Content-Type": "text/plain" });
      res.end(e.code === "ENOENT" || e.code === "ENOTDIR" ? "not found" : "server error");
    }
  });
  return new Promise((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolveListen({ server, url: `http://${host}:${server.address().port}/` }));
  });
}

async function main() {
  const args = process.argv.slice(2);
  const portFlag = args.indexOf("--port");
  let port = Number(portFlag >= 0 ? args[portFlag + 1] : process.env.PORT ?? 8080);
  const root = args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--port") ??
    fileURLToPath(new URL("../web/", import.meta.url));
  if (args.includes("--watch")) {
    const { watchPage } = await import("./build-page.mjs");
    await watchPage(root, (errors) => {
      console.log(errors.length ? `web/build: the bundles did not build (${errors.length} error${errors.length > 1 ? "s" : ""}: ${errors[0].text}); the last good ones are served`
        : "web/build: rebuilt after a change in web/js");
    });
  }
  for (let attempt = 0; ; attempt++) {
    try {
      const { url } = await startServer(root, { port });
      console.log(`bn-wasm is served from ${root}\n\n  Open ${url}\n\n(Ctrl+C stops the server)`);
      return;
    } catch (e) {
      if (e.code !== "EADDRINUSE" || attempt > 20) throw e;
      port += 1;
    }
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
