import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Bundle } from "./bundle";

/** One request sent first to a fresh copy of the bundle, then again. */
export interface FirstRequest {
  request: string;
  /** CPU ms of the first answer (modules of its route group evaluated, code compiled) and of the second. */
  firstMs: number;
  secondMs: number;
}

export interface FirstRequests {
  /** CPU ms of evaluating the bundle in Node (its parse and top level): H's counterpart, in Node. */
  importMs: number;
  requests: FirstRequest[];
}

/** What the Worker's ASSETS binding serves it: the phone metadata (src/bundle/phone-metadata.ts). */
const METADATA = path.join(import.meta.dirname, "..", "..", "src", "lib", "phone-metadata.json");
/** The bindings' stand-ins, imported by the child process as they are (Node strips their types). */
const STAND_INS = pathToFileURL(path.join(import.meta.dirname, "stand-in-env.ts")).href;
const CONTACT = JSON.stringify({ primaryPhone: "+33612345678", firstName: "Ada", primaryEmail: "ada@example.com" });
/** Each group's busiest kind of request; the key is accepted, storage fails (503) after validation. */
const PROBES = [
  { method: "GET", path: "/health" },
  { method: "POST", path: "/api/contact", body: CONTACT },
  { method: "GET", path: "/api/contact?search=ada" },
  { method: "POST", path: "/hooks/whk_0000000000000000000000000000", body: CONTACT },
  { method: "GET", path: "/api/keys" },
];

/**
 * Runs in a new Node process per probe (so nothing is evaluated yet): imports the bundle, then sends
 * the probe twice with stand-ins for the bindings (./stand-in-env.ts; its static assets hold the phone
 * metadata, which the first request reads). Prints the CPU of each step in ms.
 */
const PROGRAM = `
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const [file, method, path, body, metadataFile, standIns] = process.argv.slice(1);
const metadata = (await import("node:fs")).readFileSync(metadataFile, "utf8");
const { standInEnv, STAND_IN_KEY } = await import(standIns);
const env = standInEnv({ fetch: async () => new Response(metadata) });
const ctx = { waitUntil() {}, passThroughOnException() {} };
const request = () => new Request("http://localhost" + path, { method, body: body || undefined,
  headers: { "x-api-key": STAND_IN_KEY, ...(body ? { "content-type": "application/json" } : {}) } });
// Node loads its fetch classes and WebCrypto on first use, as workerd does not: load them first.
await new Response(new Request("http://localhost/", { method: "POST", body: "{}" }).body).text();
await crypto.subtle.digest("SHA-256", new TextEncoder().encode("warm"));
crypto.randomUUID();
const t0 = cpu();
const worker = (await import(file)).default;
const t1 = cpu();
const first = await worker.fetch(request(), env, ctx); await first.text();
const t2 = cpu();
const second = await worker.fetch(request(), env, ctx); await second.text();
const t3 = cpu();
console.log(JSON.stringify({ importMs: t1 - t0, firstMs: t2 - t1, secondMs: t3 - t2, status: first.status }));
`;

/**
 * What the Worker defers to the first request of each route group, measured in Node (same V8 as
 * workerd, same bundle): the CPU of a probe's first answer against its second. Runs each probe
 * `runs` times, in a new process each time, and keeps the median of each number.
 */
export function measureFirstRequests(bundle: Bundle, runs = 3): FirstRequests {
  const dir = mkdtempSync(path.join(tmpdir(), "bench-first-"));
  for (const module of bundle.modules) {
    mkdirSync(path.dirname(path.join(dir, module.name)), { recursive: true });
    writeFileSync(path.join(dir, module.name), module.code);
  }
  // Node reads the .js files as ES modules, as workerd does.
  writeFileSync(path.join(dir, "package.json"), '{"type":"module"}');
  const file = path.join(dir, "index.js");
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  try {
    const imports: number[] = [];
    const requests = PROBES.map((probe) => {
      const samples = Array.from({ length: runs }, () => {
        const out = execFileSync(
          process.execPath,
          ["--input-type=module", "-e", PROGRAM, file, probe.method, probe.path, probe.body ?? "", METADATA, STAND_INS],
          // stderr: the worker's error lines (storage is a stand-in that fails).
          { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
        );
        return JSON.parse(out.trim().split("\n").pop() as string) as Omit<FirstRequest, "request"> & {
          importMs: number;
        };
      });
      imports.push(...samples.map((s) => s.importMs));
      return {
        request: `${probe.method} ${probe.path.replace(/\?.*/, "")}`,
        firstMs: median(samples.map((s) => s.firstMs)),
        secondMs: median(samples.map((s) => s.secondMs)),
      };
    });
    return { importMs: median(imports), requests };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
