import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { quietEnv } from "../lib/wrangler";
import { descendantsOf, readStat } from "./proc";

const ROOT = path.resolve(import.meta.dirname, "../..");
/** The app plus the D1 round-trip reference route (see ./entry.ts). */
const ENTRY = path.join(ROOT, "scripts/bench/entry.ts");
/** Per key and minute: far above what one machine can send, so no scenario meets a 429. */
const BENCH_RATE_LIMIT = 10_000_000;

/** Where the server of `startServer(persistTo, …)` has its Worker built (./modules.ts reads it). */
export const workerDir = (persistTo: string) => path.join(persistTo, "worker");

/**
 * wrangler.toml as it is (its relative paths made absolute), but for the rate limit: the binding is still called on every request
 * (its cost is part of the hot path), it just never says no. Same bindings and ids, so the local
 * state that migrations and keys were written to is the one served. The Worker is built as
 * deployed (scripts/build-worker.ts), from the benchmark's entry, into `dir`.
 */
function benchConfig(dir: string, minify: boolean): string {
  const file = path.join(dir, "bench.wrangler.toml");
  const out = workerDir(dir);
  const build = `tsx ${ROOT}/scripts/build-worker.ts --entry ${ENTRY} --outdir ${out}${minify ? "" : " --no-minify"}`;
  const text = readFileSync(path.join(ROOT, "wrangler.toml"), "utf8")
    .replace(/^main = .*$/m, `main = ${JSON.stringify(path.join(out, "index.js"))}`)
    .replace(/^base_dir = .*$/m, `base_dir = ${JSON.stringify(out)}`)
    .replace("tsx scripts/build-worker.ts", build)
    .replace(/^migrations_dir = .*$/m, `migrations_dir = ${JSON.stringify(path.join(ROOT, "migrations"))}`)
    // Paths of the assets and the build step are relative to the config file: make them absolute.
    .replaceAll('"./', `"${ROOT}/`)
    .replace("tsx scripts/", `tsx ${ROOT}/scripts/`)
    .replace(/simple = \{ limit = \d+/, `simple = { limit = ${BENCH_RATE_LIMIT}`)
    .replace(/^RATE_LIMIT_REQUESTS = .*$/m, `RATE_LIMIT_REQUESTS = "${BENCH_RATE_LIMIT}"`);
  writeFileSync(file, text);
  return file;
}

const TICKS_PER_SECOND = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

const cmdline = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");

/** CPU seconds used so far, split the way the table reports it. */
export interface CpuSample {
  /** Every workerd process that wrangler started (the worker's own, and wrangler's proxy in front of it). */
  workerd: number;
  /** The workerd process that runs our worker (not the one listening on the public port). */
  worker: number;
  /** wrangler's own Node.js processes (it prints the worker's log lines). */
  wrangler: number;
}

export interface Server {
  url: string;
  cpu(): CpuSample;
  /** Last lines wrangler printed, for error reports. */
  tail(): string;
  stop(): Promise<void>;
}

/**
 * `wrangler dev` on `port` with its local D1 and KV in `persistTo`: the one launcher every HTTP
 * scenario is measured through, so its own overhead is the same on both sides of each ratio.
 */
export async function startServer(
  persistTo: string,
  port: number,
  extraArgs: string[] = [],
  { minify = true } = {},
): Promise<Server> {
  const url = `http://127.0.0.1:${port}`;
  if (await answers(`${url}/health`)) throw new Error(`port ${port} is already served: stop that server first`);
  const child: ChildProcess = spawn(
    "wrangler",
    // --log-level warn: wrangler would otherwise print every request's log line, spending CPU that
    // the benchmark's own processes need on a 2-core machine (the worker still writes them).
    [
      "dev",
      "--config",
      benchConfig(persistTo, minify),
      "--port",
      String(port),
      "--ip",
      "127.0.0.1",
      "--persist-to",
      persistTo,
      "--log-level",
      "warn",
      // B′ subscribes a receiver on 127.0.0.1, as `npm start` allows.
      "--var",
      "ALLOW_HTTP_WEBHOOK_ENDPOINTS:true",
      ...extraArgs,
    ],
    // Its own process group: stop() ends wrangler, workerd and esbuild together.
    { env: quietEnv, detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
  const root = child.pid as number;
  const lines: string[] = [];
  const onData = (chunk: Buffer) => {
    lines.push(...chunk.toString("utf8").split("\n"));
    lines.splice(0, Math.max(0, lines.length - 200));
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);

  const stop = async () => {
    try {
      process.kill(-root, "SIGTERM");
    } catch {
      return;
    }
    for (let i = 0; i < 40 && child.exitCode === null && child.signalCode === null; i++) await sleep(100);
    try {
      process.kill(-root, "SIGKILL");
    } catch {
      // already gone
    }
  };

  try {
    // --log-level warn also silences "Ready on": the first answer of the trivial route says it.
    const deadline = Date.now() + 120_000;
    while (!(await answers(`${url}/health`))) {
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(`wrangler dev did not start:\n${lines.join("\n")}`);
      await sleep(250);
    }
    const processes = descendantsOf(root);
    const workerds = processes.filter((p) => p.comm === "workerd").map((p) => p.pid);
    if (workerds.length === 0) throw new Error("no workerd process under wrangler dev");
    const publicPort = new RegExp(`entry=[^ ]*:${port}\\b`);
    const worker = workerds.find((pid) => !publicPort.test(cmdline(pid))) ?? (workerds[0] as number);
    const nodes = [root, ...processes.filter((p) => p.comm !== "workerd" && p.comm !== "esbuild").map((p) => p.pid)];
    const seconds = (pids: number[]) =>
      pids.reduce((sum, pid) => sum + (readStat(pid)?.ticks ?? 0), 0) / TICKS_PER_SECOND;
    return {
      url,
      cpu: () => ({ workerd: seconds(workerds), worker: seconds([worker]), wrangler: seconds(nodes) }),
      tail: () => lines.slice(-40).join("\n"),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}
