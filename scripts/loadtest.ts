/**
 * `npm run loadtest`: proves that nothing is lost or duplicated under load (issue 6).
 *
 * Serves the worker with `wrangler dev` on 127.0.0.1 with a brand-new local state, drives
 * `POST /api/contact` with autocannon (new phones, repeated phones, repeated Idempotency-Keys
 * with the same body, invalid bodies), records every answer, then reads D1 and checks that the
 * answers and the rows agree. Prints a summary; exits 1 on any discrepancy. Always stops the server.
 *
 *   npm run loadtest -- [--duration 60] [--connections 64] [--keys 64] [--port 8790] [--seed 1] [--keep]
 *
 * Only 127.0.0.1 is ever targeted. `--keys` API keys share the load round-robin (the rate limit is
 * per key: 600 requests a minute each by default); `--keep` keeps the state directory for inspection.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { mintApiKey } from "../src/db/api-keys";
import { createOrganization } from "./lib/keys";
import { applyMigrations, d1Query, quietEnv, sqlString, usePersistDir, wrangler } from "./lib/wrangler";

// ---------------------------------------------------------------- options

function fail(message: string): never {
  process.stderr.write(`loadtest: ${message}\n`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "60" },
    connections: { type: "string", default: "64" },
    keys: { type: "string", default: "64" },
    port: { type: "string", default: "8790" },
    seed: { type: "string", default: "1" },
    keep: { type: "boolean", default: false },
  },
});
const positive = (name: keyof typeof values, max: number): number => {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < 1 || n > max) fail(`--${name} must be an integer from 1 to ${max}`);
  return n;
};
const DURATION_S = positive("duration", 3600);
const CONNECTIONS = positive("connections", 1024);
const KEYS = positive("keys", 1000);
const PORT = positive("port", 65535);
let seed = positive("seed", 2 ** 31 - 1);
const ORIGIN = `http://127.0.0.1:${PORT}`;
/** How long in-flight writes may take to answer once the run is over. */
const DRAIN_S = 30;

// ---------------------------------------------------------------- the workload

type Kind = "new" | "repeat" | "idempotent" | "invalid";

interface Sent {
  kind: Kind;
  body: string;
  phone?: string;
  idempotencyKey?: string;
  sentAt: number;
  status?: number;
  replayed?: boolean;
  answer?: { id?: string; code?: string; existingId?: string };
  latencyMs?: number;
}

/** A small deterministic generator (mulberry32), so that a run can be repeated with --seed. */
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
/** One of the last `window` items: recent ones, so that repeats race with their originals. */
const recent = <T>(list: T[], window: number): T | undefined =>
  list[list.length - 1 - Math.floor(random() * Math.min(window, list.length))];

let phoneCounter = 10_000_000;
/** Distinct valid French mobile numbers; the +337 range is left to the invalid bodies. */
const freshPhone = () => `+336${phoneCounter++}`;

const INVALID_BODIES = [
  JSON.stringify({ primaryPhone: "+3361" }),
  JSON.stringify({ primaryPhone: "0612345678" }), // national, and the organization has no default country
  JSON.stringify({ primaryPhone: "+33799999999", nickname: "not a field" }),
  JSON.stringify({ primaryPhone: "+33799999998", primaryEmail: "not-an-email" }),
  JSON.stringify({ firstName: "No phone" }),
  '{ "primaryPhone": "+33799999997", ',
];

const phonesSent: string[] = [];
const idempotent: { key: string; body: string; phone: string }[] = [];
let sequence = 0;

function nextRequest(): Omit<Sent, "sentAt"> {
  const roll = random();
  if (roll < 0.15) return { kind: "invalid", body: INVALID_BODIES[sequence % INVALID_BODIES.length] as string };
  if (roll < 0.3 && phonesSent.length > 0) {
    const phone = recent(phonesSent, 200) as string;
    return { kind: "repeat", phone, body: JSON.stringify({ primaryPhone: phone, firstName: "Again" }) };
  }
  if (roll < 0.55) {
    const replay = idempotent.length > 0 && random() < 0.6 ? recent(idempotent, 50) : undefined;
    if (replay) return { kind: "idempotent", phone: replay.phone, idempotencyKey: replay.key, body: replay.body };
    const phone = freshPhone();
    const entry = {
      key: `lt-key-${idempotent.length}`,
      phone,
      body: JSON.stringify({ primaryPhone: phone, firstName: "Retry", customAttributes: { attempt: 1 } }),
    };
    idempotent.push(entry);
    phonesSent.push(phone);
    return { kind: "idempotent", phone, idempotencyKey: entry.key, body: entry.body };
  }
  const phone = freshPhone();
  phonesSent.push(phone);
  const n = phoneCounter;
  return {
    kind: "new",
    phone,
    body: JSON.stringify({
      primaryPhone: phone,
      firstName: "Load",
      lastName: `Test ${n}`,
      primaryEmail: `load${n}@example.com`,
      customAttributes: { run: n },
    }),
  };
}

// ---------------------------------------------------------------- the server

let server: ChildProcess | undefined;

function stopServer(): void {
  if (server?.pid && server.exitCode === null) {
    try {
      // Its own process group: wrangler and the workerd it started stop together.
      process.kill(-server.pid, "SIGTERM");
    } catch {}
  }
}
process.on("exit", stopServer);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    stopServer();
    process.exit(130);
  });
}

async function startServer(state: string): Promise<void> {
  const log = createWriteStream(join(state, "wrangler-dev.log"));
  server = spawn(
    "wrangler",
    ["dev", "--ip", "127.0.0.1", "--port", String(PORT), "--persist-to", state, "--show-interactive-dev-session=false"],
    { env: quietEnv, detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
  server.stdout?.pipe(log);
  server.stderr?.pipe(log);
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null)
      fail(`wrangler dev exited (${server.exitCode}); see ${join(state, "wrangler-dev.log")}`);
    try {
      if ((await fetch(`${ORIGIN}/health`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  fail(`the server did not answer on ${ORIGIN} within 120 s`);
}

async function waitForExit(): Promise<void> {
  if (!server || server.exitCode !== null) return;
  const exited = new Promise((r) => server?.once("exit", r));
  stopServer();
  const timeout = new Promise((r) => setTimeout(r, 10_000, "timeout"));
  if ((await Promise.race([exited, timeout])) === "timeout" && server.pid) {
    try {
      process.kill(-server.pid, "SIGKILL");
    } catch {}
  }
}

// ---------------------------------------------------------------- the run

const header = (headers: Record<string, unknown>, name: string): string | undefined => {
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return String(v);
  return undefined;
};

interface Run {
  sent: Map<string, Sent>;
  /** Connection errors and timeouts that autocannon counted. */
  errors: number;
  timeouts: number;
  writeSeconds: number;
}

async function drive(keys: string[]): Promise<Run> {
  const sent = new Map<string, Sent>();
  let draining = false;
  let outstanding = 0;
  let instance: autocannon.Instance | undefined;
  const started = performance.now();
  let writesEnded = 0;
  const stopOnceDrained = () => {
    if (draining && outstanding === 0) {
      writesEnded ||= performance.now();
      instance?.stop();
    }
  };
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: ORIGIN,
        connections: CONNECTIONS,
        // A safety cap only: the run is stopped below, once its writes have drained.
        duration: DURATION_S + DRAIN_S + 10,
        timeout: DRAIN_S,
        requests: [
          {
            method: "POST",
            path: "/api/contact",
            setupRequest: (request) => {
              // Past the end, connections only ask /health while the last writes finish: no write is cut off.
              if (draining) return { ...request, method: "GET", path: "/health", headers: {}, body: "" };
              const next = nextRequest();
              const requestId = `lt-${sequence++}`;
              sent.set(requestId, { ...next, sentAt: performance.now() });
              outstanding++;
              const headers: Record<string, string> = {
                "Content-Type": "application/json",
                "X-API-Key": keys[sequence % keys.length] as string,
                "X-Request-Id": requestId,
              };
              if (next.idempotencyKey) headers["Idempotency-Key"] = next.idempotencyKey;
              return { ...request, headers, body: next.body };
            },
            onResponse: (status, body, _context, headers) => {
              const record = sent.get(header(headers as Record<string, unknown>, "x-request-id") ?? "");
              if (!record) return;
              record.status = status;
              record.latencyMs = performance.now() - record.sentAt;
              record.replayed = header(headers as Record<string, unknown>, "idempotent-replayed") === "true";
              try {
                record.answer = JSON.parse(body);
              } catch {
                record.answer = {};
              }
              outstanding--;
              stopOnceDrained();
            },
          },
        ],
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
  const end = setTimeout(() => {
    draining = true;
    stopOnceDrained();
  }, DURATION_S * 1000);
  const giveUp = setTimeout(() => instance?.stop(), (DURATION_S + DRAIN_S) * 1000);
  const result = await finished;
  clearTimeout(end);
  clearTimeout(giveUp);
  const writeSeconds = ((writesEnded || performance.now()) - started) / 1000;
  return { sent, errors: result.errors, timeouts: result.timeouts, writeSeconds };
}

// ---------------------------------------------------------------- the checks

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0
    ? 0
    : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number);
}

/** Columns padded to their widest cell: numbers to the right, text to the left. */
function table(rows: (string | number)[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => String(r[i]).length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, i) =>
          typeof cell === "number" ? String(cell).padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0),
        )
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

const ALLOWED: Record<Kind, (r: Sent) => boolean> = {
  // A "new" phone can lose to a repeat of it that raced ahead: that is a 409 naming the winner.
  new: (r) => r.status === 201 || r.status === 429 || r.answer?.code === "CONTACT_EXISTS",
  repeat: (r) => r.status === 201 || r.status === 429 || r.answer?.code === "CONTACT_EXISTS",
  idempotent: (r) =>
    r.status === 201 ||
    r.status === 429 ||
    r.answer?.code === "CONTACT_EXISTS" ||
    r.answer?.code === "IDEMPOTENCY_IN_PROGRESS",
  invalid: (r) => r.status === 400 || r.status === 429,
};

/** Reads D1, prints the summary, returns whether every check passed. */
function report(run: Run, organizationId: string): boolean {
  const records = [...run.sent.values()];
  const answered = records.filter((r) => r.status !== undefined);
  const org = sqlString(organizationId);
  const rows = d1Query<{ id: string; phone: string }>(
    `SELECT id, primary_phone AS phone FROM contacts WHERE organization_id = ${org} AND deleted_at IS NULL`,
    "local",
  );
  const [{ n: allRows } = { n: -1 }] = d1Query<{ n: number }>("SELECT count(*) AS n FROM contacts", "local");
  const stored = d1Query<{ key: string; status: number | null; body: string | null }>(
    `SELECT key, status, body FROM idempotency_keys WHERE organization_id = ${org}`,
    "local",
  );
  const rowById = new Map(rows.map((r) => [r.id, r]));
  const storedByKey = new Map(stored.map((s) => [s.key, s]));

  const created = answered.filter((r) => r.status === 201 && !r.replayed);
  const replays = answered.filter((r) => r.status === 201 && r.replayed);
  const conflicts = answered.filter((r) => r.answer?.code === "CONTACT_EXISTS");
  const acceptedPhones = new Set(created.map((r) => r.phone));
  const originalByKey = new Map<string, Sent>();
  let keysCreatedTwice = 0;
  for (const r of created) {
    if (!r.idempotencyKey) continue;
    if (originalByKey.has(r.idempotencyKey)) keysCreatedTwice++;
    originalByKey.set(r.idempotencyKey, r);
  }

  const createdIds = new Set(created.map((r) => r.answer?.id));
  const badCreated = created.filter((r) => rowById.get(r.answer?.id ?? "")?.phone !== r.phone).length;
  const badConflicts = conflicts.filter((r) => rowById.get(r.answer?.existingId ?? "")?.phone !== r.phone).length;
  const badReplays = replays.filter(
    (r) => !r.idempotencyKey || originalByKey.get(r.idempotencyKey)?.answer?.id !== r.answer?.id,
  ).length;
  const badStored = [...originalByKey].filter(([key, r]) => {
    const record = storedByKey.get(key);
    return record?.status !== 201 || (JSON.parse(record.body ?? "{}") as { id?: string }).id !== r.answer?.id;
  }).length;
  const unexpected = answered.filter((r) => !ALLOWED[r.kind](r));
  const serverErrors = answered.filter((r) => (r.status ?? 0) >= 500).length;
  const unanswered = records.length - answered.length;
  const strayRows = rows.filter((r) => !acceptedPhones.has(r.phone)).length;
  const rowPhones = new Set(rows.map((r) => r.phone));
  const limited = answered.filter((r) => r.status === 429);
  const limitedThatWrote = limited.filter((r) => r.phone && rowPhones.has(r.phone) && !acceptedPhones.has(r.phone));
  const running = stored.filter((s) => s.status === null).length;
  const unclaimedRecords = stored.filter((s) => !originalByKey.has(s.key)).length;

  const kinds: Kind[] = ["new", "repeat", "idempotent", "invalid"];
  const count = (kind: Kind | "all", test: (r: Sent) => boolean) =>
    records.filter((r) => (kind === "all" || r.kind === kind) && test(r)).length;
  const columns: [string, (r: Sent) => boolean][] = [
    ["sent", () => true],
    ["201 new", (r) => r.status === 201 && !r.replayed],
    ["201 replay", (r) => r.status === 201 && !!r.replayed],
    ["400", (r) => r.status === 400],
    ["409 exists", (r) => r.answer?.code === "CONTACT_EXISTS"],
    ["409 running", (r) => r.answer?.code === "IDEMPOTENCY_IN_PROGRESS"],
    ["429", (r) => r.status === 429],
    ["5xx", (r) => (r.status ?? 0) >= 500],
    ["other", (r) => r.status !== undefined && ![201, 400, 409, 429].includes(r.status) && r.status < 500],
    ["no answer", (r) => r.status === undefined],
  ];
  const latencies = answered.map((r) => r.latencyMs ?? 0).sort((a, b) => a - b);

  const checks: [string, boolean, string][] = [
    ["zero 5xx", serverErrors === 0, String(serverErrors)],
    [
      "every write answered (no timeout, no socket error)",
      unanswered === 0 && run.errors === 0,
      `${unanswered} unanswered, ${run.errors} errors (${run.timeouts} timeouts)`,
    ],
    ["only expected statuses per kind", unexpected.length === 0, `${unexpected.length} unexpected`],
    [
      "every 201 is exactly one row with that id",
      badCreated === 0 && createdIds.size === created.length,
      `${created.length} created, ${badCreated} without their row, ${created.length - createdIds.size} ids twice`,
    ],
    [
      "every 409 CONTACT_EXISTS names a row that exists",
      badConflicts === 0,
      `${conflicts.length} checked, ${badConflicts} bad`,
    ],
    [
      "row count == distinct phones accepted",
      rows.length === acceptedPhones.size && strayRows === 0 && allRows === rows.length,
      `${rows.length} rows (${allRows} in all), ${acceptedPhones.size} phones accepted, ${strayRows} rows nobody was told of`,
    ],
    [
      "every 429 did nothing",
      limitedThatWrote.length === 0,
      `${limited.length} checked, ${limitedThatWrote.length} wrote`,
    ],
    [
      "idempotency records == keys that succeeded",
      running === 0 && unclaimedRecords === 0 && stored.length === originalByKey.size,
      `${stored.length} records, ${originalByKey.size} keys with a 201, ${running} left running, ${unclaimedRecords} without a 201`,
    ],
    [
      "replays created nothing and returned the original id",
      badReplays === 0 && keysCreatedTwice === 0 && badStored === 0,
      `${replays.length} replays, ${badReplays} with another id, ${keysCreatedTwice} keys that created twice, ${badStored} stored answers wrong`,
    ],
  ];

  const out = [
    "",
    `Load test: ${DURATION_S} s at ${CONNECTIONS} connections, ${KEYS} keys, ${ORIGIN}/api/contact`,
    `${answered.length} writes answered in ${run.writeSeconds.toFixed(1)} s (${(answered.length / run.writeSeconds).toFixed(0)}/s); latency p50 ${percentile(latencies, 50).toFixed(0)} ms, p95 ${percentile(latencies, 95).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms`,
    "",
    table([
      ["kind", ...columns.map(([name]) => name)],
      ...kinds.map((kind) => [kind, ...columns.map(([, test]) => count(kind, test))]),
      ["total", ...columns.map(([, test]) => count("all", test))],
    ]),
    "",
    table([["check", "result", "detail"], ...checks.map(([name, ok, detail]) => [name, ok ? "ok" : "FAIL", detail])]),
    "",
  ];
  for (const r of unexpected.slice(0, 5)) out.push(`unexpected: ${r.kind} → ${r.status} ${r.answer?.code ?? ""}`);
  const passed = checks.every(([, ok]) => ok);
  out.push(passed ? "PASS: nothing lost, nothing duplicated." : "FAIL: see the checks above.", "");
  process.stdout.write(out.join("\n"));
  return passed;
}

// ---------------------------------------------------------------- main

const state = mkdtempSync(join(tmpdir(), "contacts-edge-loadtest-"));
let exitCode = 1;
try {
  usePersistDir(state);
  process.stdout.write(`Fresh local state in ${state}\n`);
  applyMigrations("local");
  const organizationId = await createOrganization("Load test", null, "local");
  const minted = await Promise.all(
    Array.from({ length: KEYS }, (_, i) => mintApiKey({ organizationId, name: `load ${i}`, role: "agent" })),
  );
  const bulk = join(state, "keys.json");
  writeFileSync(
    bulk,
    JSON.stringify(
      minted.map((m) => ({
        key: m.kvKey,
        value: JSON.stringify(m.record),
        metadata: { keyId: m.record.keyId, organizationId },
      })),
    ),
  );
  wrangler(["kv", "bulk", "put", bulk, "--binding", "API_KEYS"], "local");
  rmSync(bulk);

  await startServer(state);
  process.stdout.write(
    `Driving ${ORIGIN}/api/contact for ${DURATION_S} s with ${CONNECTIONS} connections and ${KEYS} keys…\n`,
  );
  const run = await drive(minted.map((m) => m.key));
  await waitForExit();
  exitCode = report(run, organizationId) ? 0 : 1;
} finally {
  stopServer();
  await waitForExit();
  if (!values.keep) rmSync(state, { recursive: true, force: true });
  else process.stdout.write(`State kept in ${state}\n`);
}
process.exit(exitCode);
