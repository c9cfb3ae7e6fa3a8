/**
 * `npm run bench:profile`: where the CPU of `POST /api/contact` (or of the upsert of 1000 contacts)
 * goes inside the worker's isolate. Serves the worker as `npm run bench` does, attaches to its V8
 * inspector (wrangler's inspector proxy), samples a CPU profile while autocannon sends the load, and
 * maps every sample back to the original source through the source maps of its modules: self time per
 * package / source file, the hottest functions, and the inclusive time of our own functions.
 *
 *   npm run bench:profile -- [--scenario create|upsert-new|upsert-updates] [--seconds 10]
 *                            [--connections 10] [--port 8792] [--inspector-port 8796]
 *
 * `upsert-new` sends batches of 1000 new contacts (scenario C's first half); `upsert-updates` sends
 * changes to 1000 existing contacts, each batch changing them again (C's second half), on one connection.
 *
 * The profile is also written to bench-results/ as a .cpuprofile (open it in Chrome DevTools).
 * Native work outside the isolate (D1's SQLite, KV, the runtime's HTTP) is not sampled here: the
 * table of `npm run bench` has the process's whole CPU.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createKey, createOrganization } from "../lib/keys";
import { applyMigrations, type Target } from "../lib/wrangler";
import { contactInput, createRequest, phoneRange } from "./bodies";
import { measure, type RequestSpec } from "./load";
import { moduleFinder, readModules } from "./modules";
import { startServer, workerDir } from "./server";
import { type CpuProfile, categoryOf } from "./startup";

const { values: opts } = parseArgs({
  options: {
    scenario: { type: "string", default: "create" },
    seconds: { type: "string", default: "10" },
    connections: { type: "string", default: "10" },
    port: { type: "string", default: "8792" },
    "inspector-port": { type: "string", default: "8796" },
  },
});

/** A minimal Chrome DevTools Protocol client over the inspector's WebSocket. */
async function connect(url: string) {
  // wrangler's inspector proxy refuses a connection without an Origin header.
  const ws = new WebSocket(url, { headers: { Origin: "http://127.0.0.1" } } as unknown as string[]);
  await new Promise((resolve, reject) => {
    ws.addEventListener("open", resolve);
    ws.addEventListener("error", () => reject(new Error(`cannot connect to the inspector at ${url}`)));
  });
  let nextId = 0;
  const pending = new Map<number, (result: unknown) => void>();
  ws.addEventListener("message", (event: MessageEvent) => {
    const message = JSON.parse(String(event.data));
    // wrangler's proxy answers some commands with an echo of the command (no `result`).
    if (message.id !== undefined) pending.get(message.id)?.(message.result ?? {});
  });
  const send = <T>(method: string, params: object = {}) =>
    new Promise<T>((resolve) => {
      const id = ++nextId;
      pending.set(id, resolve as (result: unknown) => void);
      ws.send(JSON.stringify({ id, method, params }));
    });
  return { send, close: () => ws.close() };
}

const BATCH = 1000;

/**
 * The load of a scenario. Upserts run on one connection, as scenario C does. Each update batch
 * changes its 1000 contacts again (another city each time): an unchanged item would write nothing.
 */
async function loadOf(
  scenario: string,
  url: string,
  key: string,
): Promise<{ spec: RequestSpec; connections?: number }> {
  if (scenario === "create") return { spec: createRequest(key) };
  const headers = { "content-type": "application/json", "x-api-key": key };
  const batch = (phone: () => string) => Array.from({ length: BATCH }, (_, i) => contactInput(phone(), i));
  const phone = phoneRange("+3362");
  const upsert = (body: () => string): RequestSpec => ({ method: "POST", path: "/api/contact/upsert", headers, body });
  if (scenario === "upsert-new") return { spec: upsert(() => JSON.stringify({ data: batch(phone) })), connections: 1 };
  if (scenario !== "upsert-updates")
    throw new Error(`--scenario: create, upsert-new or upsert-updates, not ${scenario}`);
  const existing = batch(phone);
  const res = await fetch(`${url}/api/contact/upsert`, {
    method: "POST",
    headers,
    body: JSON.stringify({ data: existing }),
  });
  if (!res.ok) throw new Error(`the first upsert answered ${res.status}`);
  let round = 0;
  const body = () => {
    round++;
    const data = existing.map((c, i) => ({
      primaryPhone: c.primaryPhone,
      city: `City ${round}`,
      customAttributes: { age: 31 + ((i + round) % 40), tier: "gold" },
    }));
    return JSON.stringify({ data });
  };
  return { spec: upsert(body), connections: 1 };
}

async function main() {
  const persistTo = mkdtempSync(path.join(os.tmpdir(), "contacts-edge-profile-"));
  const target: Target = { persistTo };
  const inspectorPort = Number(opts["inspector-port"]);
  const server = await (async () => {
    applyMigrations(target);
    // Not minified: one statement a line, so samples map back to source lines, and real function names.
    return startServer(persistTo, Number(opts.port), ["--inspector-port", String(inspectorPort)], { minify: false });
  })();
  try {
    const organizationId = await createOrganization("Profile", null, target);
    const { key } = await createKey({ organizationId, name: "profile", role: "admin", expiresAt: null }, target);
    const { spec, connections = Number(opts.connections) } = await loadOf(opts.scenario, server.url, key);
    const cdp = await connect(`ws://127.0.0.1:${inspectorPort}/ws`);
    process.stderr.write("profile: warming up\n");
    await measure(server, spec, { seconds: 3, connections });
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: 250 });
    await cdp.send("Profiler.start");
    process.stderr.write(`profile: sampling for ${opts.seconds} s\n`);
    const load = await measure(server, spec, { seconds: Number(opts.seconds), connections });
    const { profile } = await cdp.send<{ profile: CpuProfile }>("Profiler.stop");
    cdp.close();

    const moduleOf = moduleFinder(readModules(workerDir(persistTo)));
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const where = new Map<number, { category: string; fn: string }>();
    for (const n of profile.nodes) {
      const { url, lineNumber, columnNumber, functionName } = n.callFrame;
      const module = moduleOf(url);
      if (module) {
        const entry = module.sourceMap.findEntry(lineNumber, columnNumber) as {
          originalSource?: string;
          name?: string;
        };
        const category = categoryOf(entry.originalSource ?? "?");
        where.set(n.id, { category, fn: `${functionName || entry.name || "(anonymous)"} ${category}` });
      } else {
        // (program), (garbage collector), (idle); runtime-internal modules; native builtins (no url).
        const category = url
          ? `runtime ${url.split(":")[0]}`
          : functionName.startsWith("(")
            ? functionName
            : "native builtins";
        where.set(n.id, { category, fn: `${functionName || "(anonymous)"} ${url}` });
      }
    }
    // Self samples per line of our own source (src/): where inside a function the time goes.
    const lines = new Map<string, number>();
    for (const n of profile.nodes) {
      const module = moduleOf(n.callFrame.url);
      if (!module) continue;
      const moduleLines = module.code.split("\n");
      for (const { line, ticks } of n.positionTicks ?? []) {
        const column = Math.max(0, (moduleLines[line - 1] ?? "").search(/\S/));
        const entry = module.sourceMap.findEntry(line - 1, column) as {
          originalSource?: string;
          originalLine?: number;
        };
        const source = categoryOf(entry.originalSource ?? "?");
        if (!source.startsWith("src/")) continue;
        const at = `${source}:${(entry.originalLine ?? -1) + 1}`;
        lines.set(at, (lines.get(at) ?? 0) + ticks);
      }
    }
    const self = new Map<string, number>();
    const selfFn = new Map<string, number>();
    const inclusiveFn = new Map<string, number>();
    let busy = 0;
    // Sample counts, not timeDeltas: on a loaded machine the deltas include time the thread was
    // descheduled.
    profile.samples.forEach((id) => {
      const dt = 1;
      const at = where.get(id);
      if (!at || at.category === "(idle)") return;
      busy += dt;
      self.set(at.category, (self.get(at.category) ?? 0) + dt);
      selfFn.set(at.fn, (selfFn.get(at.fn) ?? 0) + dt);
      const seen = new Set<string>();
      for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
        const fn = where.get(n)?.fn;
        if (fn?.includes(" src/") && !seen.has(fn)) {
          seen.add(fn);
          inclusiveFn.set(fn, (inclusiveFn.get(fn) ?? 0) + dt);
        }
      }
    });
    const table = (title: string, m: Map<string, number>, n: number) =>
      `${title}\n${[...m]
        .sort((a, b) => b[1] - a[1])
        .slice(0, n)
        .map(([k, samples]) => `  ${((100 * samples) / busy).toFixed(1).padStart(5)}%  ${k}`)
        .join("\n")}`;
    process.stdout.write(
      [
        `${opts.scenario === "create" ? "POST /api/contact" : `POST /api/contact/upsert (${opts.scenario}, ${BATCH} per request)`}: ${load.requests} requests, ${load.rps.toFixed(1)} req/s, workerd CPU ${load.cpuMs.workerd.toFixed(2)} ms/req (worker process ${load.cpuMs.worker.toFixed(2)})`,
        // The worker's process also runs the local D1 (another isolate, and SQLite): not sampled here.
        `${busy} samples of the worker's isolate outside (idle); shares of those samples below`,
        table("\nself time by package / source file", self, 20),
        table("\nhottest functions (self)", selfFn, 25),
        table("\nour functions (inclusive)", inclusiveFn, 25),
        table("\nour hottest source lines (self)", lines, 20),
      ].join("\n"),
    );
    const dir = path.resolve(import.meta.dirname, "../../bench-results");
    mkdirSync(dir, { recursive: true });
    const out = path.join(dir, `profile-${new Date().toISOString().replace(/[:.]/g, "-")}.cpuprofile`);
    writeFileSync(out, JSON.stringify(profile));
    process.stdout.write(`\n\nprofile written to ${path.relative(process.cwd(), out)}\n`);
  } finally {
    await server.stop();
    rmSync(persistTo, { recursive: true, force: true });
  }
}

await main();
