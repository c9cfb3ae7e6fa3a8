/**
 * `npm run test:browser`: serves the worker as `npm start` does (port 8791, local state in a fresh
 * temporary folder), opens `/docs` (Swagger UI) in Debian's headless Chromium, and checks that every
 * operation of `/openapi.json` is on the page, that "try it out" works, that the page made no request
 * beyond this server and logged no error (a CSP violation is one), and that the phone metadata asset
 * is not served, then saves a screenshot to test-results/docs.png.
 * Needs `/usr/bin/chromium` (`apt-get install chromium`).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const port = Number(process.env.BROWSER_TEST_PORT ?? 8791);
const base = `http://localhost:${port}`;
const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

function startServer(persistTo: string): Promise<ChildProcess> {
  // Its own process group, so that the whole tree (npm, tsx, wrangler, workerd) stops with it.
  const server = spawn("npm", ["start", "--", "--port", String(port), "--persist-to", persistTo], {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
  });
  let log = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 180 s:\n${log}`)), 180_000);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes("Ready on")) {
        clearTimeout(timer);
        resolve(server);
      }
    };
    server.stdout?.on("data", onData);
    server.stderr?.on("data", onData);
    server.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${log}`));
    });
  });
}

function stopServer(server: ChildProcess | undefined) {
  if (server?.pid === undefined) return;
  server.removeAllListeners("exit");
  try {
    process.kill(-server.pid, "SIGTERM");
  } catch {
    // already gone
  }
}

const results: { name: string; error?: string }[] = [];
async function check(name: string, fn: () => void | Promise<void>) {
  try {
    await fn();
    results.push({ name });
  } catch (err) {
    results.push({ name, error: err instanceof Error ? err.message : String(err) });
  }
}
function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

const state = mkdtempSync(join(tmpdir(), "contacts-edge-browser-"));
let server: ChildProcess | undefined;
let browser: Awaited<ReturnType<typeof chromium.launch>> | undefined;
try {
  server = await startServer(state);
  const doc = (await (await fetch(`${base}/openapi.json`)).json()) as { paths: Record<string, object> };
  const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
  );

  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  page.on("request", (request) => requests.push(request.url()));
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  const response = await page.goto(`${base}/docs`, { waitUntil: "networkidle" });

  await check("the phone metadata, an asset the Worker reads, is not served: the Worker answers 404", async () => {
    const res = await fetch(`${base}/_internal/phone-metadata.json`);
    assert(res.status === 404, `status ${res.status}`);
    assert(((await res.json()) as { code?: string }).code === "NOT_FOUND", "not the API's 404");
  });

  await check("GET /docs answers 200 with HTML", () => {
    assert(response?.status() === 200, `status ${response?.status()}`);
    assert(response.headers()["content-type"]?.startsWith("text/html"), "not text/html");
  });
  await check(`every operation of /openapi.json is on the page (${operations.length})`, async () => {
    await page.locator(".opblock").first().waitFor();
    for (const operation of operations) {
      const [method, path] = operation.split(" ") as [string, string];
      const block = page.locator(`.opblock-${method.toLowerCase()}:has(.opblock-summary-path[data-path="${path}"])`);
      assert((await block.count()) === 1, `${operation}: no block on the page`);
      assert(await block.isVisible(), `${operation}: not visible`);
    }
  });
  mkdirSync("test-results", { recursive: true });
  await page.screenshot({ path: "test-results/docs.png" });
  await check("try it out: GET /health from the page answers 200", async () => {
    const block = page.locator('.opblock-get:has(.opblock-summary-path[data-path="/health"])');
    await block.locator("button.opblock-summary-control").click();
    // tryItOutEnabled (public/docs/init.js) opens every operation ready to execute.
    await block.locator("button.execute").click();
    const status = block.locator(".live-responses-table tbody .response-col_status").first();
    await status.waitFor({ timeout: 10_000 });
    const text = (await status.textContent()) ?? "";
    assert(text.trim().startsWith("200"), `status cell says "${text}"`);
  });
  await check("no request left this server", () => {
    assert(requests.length > 0, "no request recorded");
    const foreign = requests.filter((url) => !url.startsWith("data:") && !LOCAL_HOSTS.has(new URL(url).hostname));
    assert(foreign.length === 0, `requests elsewhere: ${foreign.join(", ")}`);
  });
  await check("the page logged no error", () => {
    assert(consoleErrors.length === 0, consoleErrors.join("\n"));
  });
} catch (err) {
  results.push({ name: "setup", error: err instanceof Error ? err.message : String(err) });
} finally {
  await browser?.close();
  stopServer(server);
  rmSync(state, { recursive: true, force: true });
}

for (const { name, error } of results)
  process.stdout.write(`${error ? "✗" : "✓"} ${name}${error ? `\n  ${error}` : ""}\n`);
const failed = results.filter((r) => r.error).length;
process.stdout.write(
  `screenshot: test-results/docs.png\nbrowser: ${results.length - failed} passed, ${failed} failed\n`,
);
process.exit(failed > 0 ? 1 : 0);
