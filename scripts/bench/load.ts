import autocannon from "autocannon";
import type { CpuSample, Server } from "./server";

export interface RequestSpec {
  method?: "GET" | "POST";
  /** A fixed path, or one computed per request. */
  path: string | (() => string);
  headers?: Record<string, string>;
  /** A body computed per request (fresh phones, the next batch). */
  body?: () => string;
  /** Sees each response (to check what the server answered). */
  onResponse?: (status: number, body: string) => void;
}

export interface Measured {
  requests: number;
  /** Requests sent, answered or cut off when the time was up: the server worked on each. */
  served: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  /** Responses that were not 2xx, and socket errors/timeouts: a correct run has none. */
  failures: number;
  statuses: Record<string, number>;
  /** CPU milliseconds per request: all workerd processes, the worker's own, wrangler's Node.js. */
  cpuMs: { workerd: number; worker: number; wrangler: number };
  /** Of several runs folded into one ({@link combine}): each run's requests/s, in order. */
  roundsRps?: number[];
}

/** CPU milliseconds per request, from the processes' CPU seconds between two samples. */
const cpuPerRequest = (a: CpuSample, b: CpuSample, served: number) => ({
  workerd: ((b.workerd - a.workerd) * 1000) / served,
  worker: ((b.worker - a.worker) * 1000) / served,
  wrangler: ((b.wrangler - a.wrangler) * 1000) / served,
});

/**
 * One autocannon run against the server, bounded by `seconds` (or by `amount` requests), with
 * the CPU the server's processes spent meanwhile divided by the requests it was sent.
 */
export async function measure(
  server: Server,
  spec: RequestSpec,
  options: { seconds?: number; amount?: number; connections: number; timeoutSeconds?: number },
): Promise<Measured> {
  const before = server.cpu();
  const result = await autocannon({
    url: server.url,
    connections: options.connections,
    ...(options.amount ? { amount: options.amount } : { duration: options.seconds ?? 5 }),
    timeout: options.timeoutSeconds ?? 30,
    requests: [
      {
        method: spec.method ?? "GET",
        headers: spec.headers ?? {},
        setupRequest: (req) => {
          const path = typeof spec.path === "function" ? spec.path() : spec.path;
          return spec.body ? { ...req, path, body: spec.body() } : { ...req, path };
        },
        ...(spec.onResponse ? { onResponse: spec.onResponse } : {}),
      },
    ],
  });
  // Requests cut off when the duration ends were still served: let the server finish them.
  await new Promise((r) => setTimeout(r, 300));
  const after = server.cpu();
  const served = Math.max(result.requests.sent, result.requests.total, 1);
  const statuses: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = count ?? 0;
  return {
    requests: result.requests.total,
    served,
    seconds: result.duration,
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
    statuses,
    cpuMs: cpuPerRequest(before, after, served),
  };
}

/**
 * One connection's requests, one after the other for `seconds`, each timed here to the microsecond
 * (autocannon's latencies are whole milliseconds: 7 against 11 ms moved D's ratios by ±10%).
 * Rates, statuses and CPU per request as {@link measure} gives them.
 */
export async function measureSequential(server: Server, spec: RequestSpec, seconds: number): Promise<Measured> {
  const before = server.cpu();
  const times: number[] = [];
  const statuses: Record<string, number> = {};
  let failures = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  while (performance.now() < end) {
    const path = typeof spec.path === "function" ? spec.path() : spec.path;
    const t0 = performance.now();
    const res = await fetch(`${server.url}${path}`, {
      method: spec.method ?? "GET",
      headers: spec.headers ?? {},
      ...(spec.body ? { body: spec.body() } : {}),
    });
    const body = await res.text();
    times.push(performance.now() - t0);
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    if (!res.ok) failures++;
    spec.onResponse?.(res.status, body);
  }
  const elapsed = (performance.now() - started) / 1000;
  const after = server.cpu();
  const served = Math.max(times.length, 1);
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return {
    requests: times.length,
    served,
    seconds: elapsed,
    rps: times.length / elapsed,
    p50: at(0.5),
    p99: at(0.99),
    failures,
    statuses,
    cpuMs: cpuPerRequest(before, after, served),
  };
}

/** The median of a list of numbers (the middle round of an odd count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Several runs of one scenario folded into one: rates and latencies are the median round (robust
 * to a neighbour's burst on a shared machine), CPU per request is total CPU over total requests.
 */
export function combine(runs: Measured[]): Measured {
  const requests = runs.reduce((s, r) => s + r.requests, 0);
  const served = runs.reduce((s, r) => s + r.served, 0);
  const weighted = (pick: (m: Measured) => number) => runs.reduce((s, r) => s + pick(r) * r.served, 0) / served;
  const statuses: Record<string, number> = {};
  for (const run of runs) for (const [k, v] of Object.entries(run.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
  return {
    requests,
    served,
    seconds: runs.reduce((s, r) => s + r.seconds, 0),
    rps: median(runs.map((r) => r.rps)),
    roundsRps: runs.map((r) => r.rps),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    failures: runs.reduce((s, r) => s + r.failures, 0),
    statuses,
    cpuMs: {
      workerd: weighted((r) => r.cpuMs.workerd),
      worker: weighted((r) => r.cpuMs.worker),
      wrangler: weighted((r) => r.cpuMs.wrangler),
    },
  };
}
