/**
 * `npm run bench`: the worker served by `wrangler dev` on local D1 and KV, driven by autocannon on
 * localhost, measured against the runtime's trivial route and SQLite's own ceiling in one run.
 *
 *   npm run bench -- [--seconds 5] [--rounds 5] [--connections 10] [--batches 10]
 *                    [--contacts 100000] [--port 8792] [--compare bench-results/<file>.json] [--keep]
 *                    [--import-rows 100000] [--only CDEFGH]   (A, A0 and B always run)
 *
 * Prints one table (scenarios A–H, then the targets), and writes it as JSON to bench-results/.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { uuidv7 } from "../../src/lib/ids";
import { createKey, createOrganization } from "../lib/keys";
import { applyMigrations } from "../lib/wrangler";
import { contactInput, createFloorRequest, createRequest, phoneRange, updatedInput } from "./bodies";
import { type Bundle, buildBundle } from "./bundle";
import { type CeilingRun, startCeiling } from "./ceiling";
import { measureFirstRequests } from "./first-request";
import { importScenario } from "./import";
import { combine, type Measured, measure, measureSequential, median } from "./load";
import {
  type BenchResults,
  flatten,
  isMissing,
  type Missing,
  renderComparison,
  renderTable,
  targetsOf,
  type UpsertRun,
} from "./report";
import { localD1File, SURNAMES, seedContacts, storageUse } from "./seed";
import { type Server, startServer } from "./server";
import { measureStartup } from "./startup";
import { measureStartupCpu } from "./startup-cpu";

const { values: opts } = parseArgs({
  options: {
    seconds: { type: "string", default: "5" },
    rounds: { type: "string", default: "5" },
    connections: { type: "string", default: "10" },
    batches: { type: "string", default: "10" },
    contacts: { type: "string", default: "100000" },
    port: { type: "string", default: "8792" },
    compare: { type: "string" },
    keep: { type: "boolean", default: false },
    only: { type: "string", default: "ABCDEFGH" },
    "import-rows": { type: "string", default: "100000" },
  },
});
/** Scenarios to run (A, A0 and B always run: every other ratio needs them). */
const ONLY = new Set(`AB${opts.only.toUpperCase()}`.replace(/[^A-H]/g, ""));
const SKIPPED: Missing = { missing: "skipped (--only)" };
const SECONDS = Number(opts.seconds);
const ROUNDS = Number(opts.rounds);
const CONNECTIONS = Number(opts.connections);
const BATCHES = Number(opts.batches);
const CONTACTS = Number(opts.contacts);
const IMPORT_ROWS = Number(opts["import-rows"]);
const BATCH_SIZE = 1000;
/**
 * Runs of `wrangler check startup` for H: the median is reported. Five, not three: a run is a
 * dozen samples, and one late sample can carry 10–20 ms of "(program)" (ten runs each of two commits
 * at 21:10 on 2026-11-30 read 1.1–18.7 ms, medians 14.9 and 12.8, where one full bench's three had read 24.6).
 */
const STARTUP_RUNS = 5;
/** Runs of H by workerd's CPU counter (scripts/bench/startup-cpu.ts), each of three fresh workerds: about 15 s. */
const STARTUP_CPU_RUNS = 7;
const ROUTE_MISSING: Missing = { missing: "n/a (route missing)" };

const t0 = Date.now();
const step = (message: string) =>
  process.stderr.write(`bench [${String(Math.round((Date.now() - t0) / 1000)).padStart(3)} s] ${message}\n`);

/** 404 "no route" or 405 from the app's fallback: the route is not in this build. */
async function routeMissing(response: Response): Promise<boolean> {
  if (response.status === 405) return true;
  if (response.status !== 404) return false;
  const body = (await response.json().catch(() => ({}))) as { message?: string };
  return body.message === "No route matches this path";
}

/** Deliveries the receiver of B′ has had: see {@link deliveriesSettled}. */
let delivered = 0;

/**
 * Waits until the receiver has had no delivery for two seconds (at most 30 s): the local queue
 * consumer keeps delivering B′'s events after B′'s run, in the worker's process, and would
 * otherwise be measured as part of the next scenario's CPU. Two seconds: the consumer waits up to
 * its `max_batch_timeout` (1 s) before a batch.
 */
async function deliveriesSettled() {
  const deadline = Date.now() + 30_000;
  let seen = -1;
  while (seen !== delivered && Date.now() < deadline) {
    seen = delivered;
    await new Promise((r) => setTimeout(r, 2000));
  }
}

/**
 * B′'s and B‴'s organizations: the same creates as B, each organization with one endpoint subscribed
 * to every event, so each create also writes its outbox row and sends its id to the queue (B‴'s
 * queue discards it); a receiver on 127.0.0.1 answers 204 to the deliveries of B′'s events.
 */
async function subscribedWriters(server: Server, keys: string[]) {
  const receiver = createHttpServer((req, res) => {
    delivered++;
    req.resume();
    req.on("end", () => res.writeHead(204).end());
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const { port } = receiver.address() as AddressInfo;
  for (const key of keys) {
    const res = await fetch(`${server.url}/api/webhook-endpoints`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": key },
      body: JSON.stringify({ url: `http://127.0.0.1:${port}/events` }),
    });
    if (await routeMissing(res)) {
      receiver.close();
      return undefined;
    }
    if (res.status !== 201) throw new Error(`POST /api/webhook-endpoints answered ${res.status}: ${await res.text()}`);
  }
  return receiver;
}

/** Holds (or releases) the worker's queue consumer: see scripts/bench/entry.ts. */
async function holdConsumer(server: Server, held: boolean) {
  const res = await fetch(`${server.url}/__bench/consumer`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ held }),
  });
  if (!res.ok) throw new Error(`POST /__bench/consumer answered ${res.status}`);
}

/** How many live contacts the key's organization has. */
async function contactCount(server: Server, key: string): Promise<number> {
  const res = await fetch(`${server.url}/api/contact?limit=1`, { headers: { "x-api-key": key } });
  return ((await res.json()) as { meta: { total: number } }).meta.total;
}

/**
 * Waits (at most two minutes) until the receiver has had one delivery per contact B′'s organization
 * has: the released consumer works off what B′ queued before the next scenario is measured.
 */
async function allDelivered(server: Server, key: string) {
  const created = await contactCount(server, key);
  const deadline = Date.now() + 120_000;
  const started = Date.now();
  while (delivered < created && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
  step(
    `B′: ${delivered} deliveries for ${created} contacts, ${((Date.now() - started) / 1000).toFixed(1)} s after release`,
  );
  await deliveriesSettled();
}

async function abRounds(
  server: Server,
  writer: { key: string; organizationId: string },
  subscribed: { key: string; discardingKey: string; floorOrganizationId: string } | undefined,
) {
  const subscribedKey = subscribed?.key;
  const { key } = writer;
  // The same request; the header picks the worker built without the request log (scripts/bench/entry.ts).
  const health = { path: "/health", headers: { "x-bench-log": "on" } };
  const healthUnlogged = { path: "/health", headers: { "x-bench-log": "off" } };
  const d1 = { path: "/__bench/d1" };
  const floor = { path: "/__bench/floor" };
  const create = createRequest(key);
  const createFloor = createFloorRequest(writer.organizationId);
  const createSubscribed = subscribed ? createRequest(subscribed.key) : undefined;
  const createDiscarded = subscribed ? createRequest(subscribed.discardingKey, { "x-bench-queue": "off" }) : undefined;
  const createFloorSubscribed = subscribed ? createFloorRequest(subscribed.floorOrganizationId) : undefined;
  step("warming up A and B");
  await measure(server, health, { seconds: 2, connections: CONNECTIONS });
  await measure(server, healthUnlogged, { seconds: 2, connections: CONNECTIONS });
  await measure(server, create, { seconds: 2, connections: CONNECTIONS });
  await measure(server, createFloor, { seconds: 2, connections: CONNECTIONS });
  if (createSubscribed) await measure(server, createSubscribed, { seconds: 2, connections: CONNECTIONS });
  if (createDiscarded) await measure(server, createDiscarded, { seconds: 2, connections: CONNECTIONS });
  if (createFloorSubscribed) await measure(server, createFloorSubscribed, { seconds: 2, connections: CONNECTIONS });
  await deliveriesSettled();
  // Interleaved rounds: a burst from a neighbour on this shared machine hits both sides alike.
  const a: Measured[] = [];
  const a0: Measured[] = [];
  const a1: Measured[] = [];
  const a2: Measured[] = [];
  const b: Measured[] = [];
  const b2: Measured[] = [];
  const b1: Measured[] = [];
  const b3: Measured[] = [];
  const b4: Measured[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    step(
      `round ${round}/${ROUNDS}: A /health, A0 /health unlogged, A′ /__bench/d1, A″ /__bench/floor, then B POST /api/contact, B‴ subscribed with its sends discarded, B″ /__bench/create-floor, B″s the same subscribed and B′ subscribed, every other round in reverse (${SECONDS} s each)`,
    );
    // A and A0 swap places every round: whichever runs first also meets what the last round left.
    for (const [spec, runs] of round % 2
      ? [[health, a] as const, [healthUnlogged, a0] as const]
      : [[healthUnlogged, a0] as const, [health, a] as const])
      runs.push(await measure(server, spec, { seconds: SECONDS, connections: CONNECTIONS }));
    a1.push(await measure(server, d1, { seconds: SECONDS, connections: CONNECTIONS }));
    a2.push(await measure(server, floor, { seconds: SECONDS, connections: CONNECTIONS }));
    const subscribedRun = async () => {
      if (!createSubscribed) return;
      await holdConsumer(server, true);
      b1.push(await measure(server, createSubscribed, { seconds: SECONDS, connections: CONNECTIONS }));
      await holdConsumer(server, false);
      await allDelivered(server, subscribedKey as string);
    };
    const plainRun = async () => {
      b.push(await measure(server, create, { seconds: SECONDS, connections: CONNECTIONS }));
    };
    const discardedRun = async () => {
      if (createDiscarded)
        b3.push(await measure(server, createDiscarded, { seconds: SECONDS, connections: CONNECTIONS }));
    };
    const floorRun = async () => {
      b2.push(await measure(server, createFloor, { seconds: SECONDS, connections: CONNECTIONS }));
    };
    const floorSubscribedRun = async () => {
      if (createFloorSubscribed)
        b4.push(await measure(server, createFloorSubscribed, { seconds: SECONDS, connections: CONNECTIONS }));
    };
    // One round B, B‴, B″, B″s, B′, the next the other way round: the writes of a round's first
    // scenarios leave SQLite work (WAL checkpoints, FTS5 merges) that lands on whichever comes
    // last, and over two rounds each sits as often early as late.
    const runs = [plainRun, discardedRun, floorRun, floorSubscribedRun, subscribedRun];
    for (const run of round % 2 ? runs : runs.reverse()) await run();
  }
  // Every create of B′ told of, once the consumer is released: each delivery is one contact.created.
  const eventsDelivered = subscribedKey ? { delivered, created: await contactCount(server, subscribedKey) } : undefined;
  return {
    A: combine(a),
    A0: combine(a0),
    A1: combine(a1),
    A2: combine(a2),
    B: combine(b),
    B2: combine(b2),
    B1: b1.length > 0 ? combine(b1) : ROUTE_MISSING,
    B3: b3.length > 0 ? combine(b3) : ROUTE_MISSING,
    B4: b4.length > 0 ? combine(b4) : ROUTE_MISSING,
    B1Events: eventsDelivered,
  };
}

/** Scenario C's batches (E inserts the same rows): 1000 new contacts each, then the same changed. */
function upsertBatches() {
  const phone = phoneRange("+3362");
  let n = 0;
  const newBatches = Array.from({ length: BATCHES }, () =>
    Array.from({ length: BATCH_SIZE }, () => contactInput(phone(), n++)),
  );
  const updateBatches = newBatches.map((batch) => batch.map((input, i) => updatedInput(input.primaryPhone, i)));
  return { newBatches, updateBatches };
}

/**
 * Scenario C, and E with it when `ceiling` is given: E's batch `b` runs right after C's batch `b`,
 * so that both meet the machine in the same state (a burst from a neighbour, SQLite's checkpoints).
 */
async function upsertScenario(
  server: Server,
  key: string,
  { newBatches, updateBatches }: ReturnType<typeof upsertBatches>,
  ceiling?: CeilingRun,
) {
  const headers = { "content-type": "application/json", "x-api-key": key };

  // The warm-up batch (its own phones) also tells whether the route exists in this build.
  const warmPhone = phoneRange("+3364");
  const warm = await fetch(`${server.url}/api/contact/upsert`, {
    method: "POST",
    headers,
    body: JSON.stringify({ data: Array.from({ length: BATCH_SIZE }, (_, i) => contactInput(warmPhone(), i)) }),
  });
  if (await routeMissing(warm)) return ROUTE_MISSING;
  if (!warm.ok) throw new Error(`POST /api/contact/upsert answered ${warm.status}: ${await warm.text()}`);

  // One batch at a time, each timed here: autocannon notices that `amount` requests are done only
  // on its one-second tick, which made 5 batches of 170 ms look like 1,000 ms.
  const run = async (
    batches: unknown[][],
    expect: "created" | "updated" | "total",
    path = "/api/contact/upsert",
    after?: (batch: number) => Promise<void>,
  ): Promise<UpsertRun> => {
    let cpuSeconds = 0;
    const times: number[] = [];
    let failures = 0;
    for (const [b, batch] of batches.entries()) {
      const before = server.cpu();
      const started = performance.now();
      const res = await fetch(`${server.url}${path}`, {
        method: "POST",
        headers,
        body: JSON.stringify({ data: batch }),
      });
      const text = await res.text();
      times.push(performance.now() - started);
      const meta = res.status === 200 ? (JSON.parse(text) as { meta?: Record<string, number> }).meta : undefined;
      if (meta?.[expect] !== BATCH_SIZE) failures++;
      cpuSeconds += server.cpu().workerd - before.workerd;
      await after?.(b);
    }
    const p50 = median(times);
    return {
      batches: times.length,
      batchSize: BATCH_SIZE,
      // The median batch, as E counts its own.
      contactsPerSecond: (BATCH_SIZE * 1000) / p50,
      p50,
      cpuMsPer1000: ((cpuSeconds * 1000) / times.length) * (1000 / BATCH_SIZE),
      failures,
    };
  };
  step(
    `C: ${BATCHES} upserts of ${BATCH_SIZE} new contacts, then the same ${BATCHES} as updates${ceiling ? ", each batch followed by E's same batch in SQLite" : ""}`,
  );
  const created = await run(newBatches, "created", undefined, ceiling?.insert);
  const updated = await run(updateBatches, "updated", undefined, ceiling?.update);
  step("C floor: the same new batches through /__bench/upsert-floor, then with a read first (?read=1)");
  await run(newBatches.slice(0, 1), "total", "/__bench/upsert-floor");
  const floor = await run(newBatches, "total", "/__bench/upsert-floor");
  // The updates' floor: a read of 1000 contacts, then the write of 1000 contacts. The new batches'
  // items stand for those contacts (an update's body holds a phone and two fields; the rows an
  // update reads and writes are whole contacts).
  const floorUpdated = await run(newBatches, "total", "/__bench/upsert-floor?read=1");
  return { created, updated, floor, floorUpdated };
}

/** The `meta.nextCursor` of a numbered page: where the cursor walk goes on from it (undefined: no cursors in this build). */
async function cursorAfter(server: Server, headers: Record<string, string>, page: number) {
  const res = await fetch(`${server.url}/api/contact?page=${page}&limit=100`, { headers });
  const body = (await res.json()) as { meta?: { nextCursor?: string | null } };
  return body.meta?.nextCursor ?? undefined;
}

async function readScenarios(
  server: Server,
  key: string,
  { sampleIds, samplePhones, storage }: Awaited<ReturnType<typeof seedReads>>,
): Promise<BenchResults["D"]> {
  const headers = { "x-api-key": key };
  let s = 0;
  let r = 0;
  let p = 0;
  const lastPage = Math.ceil(CONTACTS / 100);
  // By cursor: the page after the first, and the last page (the cursor that the page before it gives).
  const afterFirst = await cursorAfter(server, headers, 1);
  const beforeLast = await cursorAfter(server, headers, lastPage - 1);
  const specs = {
    readById: { path: () => `/api/contact/${sampleIds[r++ % sampleIds.length]}`, headers },
    search: { path: () => `/api/contact?search=${SURNAMES[(s++ * 37) % SURNAMES.length]}`, headers },
    deepPage: { path: `/api/contact?page=${lastPage}&limit=100`, headers },
    firstCursorPage: { path: `/api/contact?limit=100&cursor=${afterFirst}`, headers },
    lastCursorPage: { path: `/api/contact?limit=100&cursor=${beforeLast}`, headers },
    phoneLookup: {
      path: () => `/api/contact?primaryPhone=${encodeURIComponent(samplePhones[p++ % samplePhones.length] as string)}`,
      headers,
    },
  };
  const result: BenchResults["D"] = {
    search: ROUTE_MISSING,
    deepPage: ROUTE_MISSING,
    readById: ROUTE_MISSING,
    firstCursorPage: ROUTE_MISSING,
    lastCursorPage: ROUTE_MISSING,
    phoneLookup: ROUTE_MISSING,
    contacts: CONTACTS,
    storage,
  };
  const runnable: (keyof typeof specs)[] = [];
  for (const name of ["readById", "search", "deepPage", "firstCursorPage", "lastCursorPage", "phoneLookup"] as const) {
    const spec = specs[name];
    if (name.endsWith("CursorPage") && (!afterFirst || !beforeLast)) continue;
    const probe = await fetch(`${server.url}${typeof spec.path === "function" ? spec.path() : spec.path}`, { headers });
    if (await routeMissing(probe)) continue;
    // A build without the parameter refuses it as unknown.
    if (name === "phoneLookup" && probe.status === 400) {
      const body = (await probe.clone().json()) as { fieldDetails?: Record<string, { code: string }[]> };
      if (body.fieldDetails?.primaryPhone?.[0]?.code === "whitelistValidation") continue;
    }
    if (!probe.ok) throw new Error(`${name} answered ${probe.status}: ${await probe.text()}`);
    if (name === "lastCursorPage" || name === "phoneLookup") {
      const { data } = (await probe.clone().json()) as { data: unknown[] };
      const expected = name === "phoneLookup" ? 1 : CONTACTS - (lastPage - 1) * 100;
      if (data.length !== expected) throw new Error(`${name} gave ${data.length} contacts, not ${expected}`);
    }
    await measureSequential(server, spec, 1);
    runnable.push(name);
  }
  // Interleaved rounds, as A and B: every ratio of D divides by read-by-id, and one window of a
  // scenario alone could meet a burst on this shared machine that the other's window did not.
  const runs = new Map<keyof typeof specs, Measured[]>(runnable.map((name) => [name, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    step(
      `D round ${round}/${ROUNDS}: ${runnable.join(", ")} (${SECONDS / ROUNDS} s each, one connection: latency, not queueing)`,
    );
    for (const name of runnable) runs.get(name)?.push(await measureSequential(server, specs[name], SECONDS / ROUNDS));
  }
  for (const [name, measured] of runs) result[name] = combine(measured);
  return result;
}

/**
 * Scenario D's organization: CONTACTS contacts written straight into the local D1's SQLite file
 * (before wrangler dev serves it), a key for it, and the bytes on disk per contact.
 */
async function seedReads(target: { persistTo: string }) {
  step(`D: seeding ${CONTACTS.toLocaleString("en-US")} contacts into one organization (SQLite file of the local D1)`);
  const file = localD1File(target.persistTo);
  const seed = seedContacts(file, uuidv7(), CONTACTS);
  const storage = storageUse(file);
  step(`D: seeded; ${Math.round(storage.bytesPerContact)} bytes on disk per contact`);
  const { key } = await createKey(
    { organizationId: seed.organizationId, name: "bench", role: "admin", expiresAt: null },
    target,
  );
  return { key, sampleIds: seed.sampleIds, samplePhones: seed.samplePhones, storage };
}

async function main() {
  const started = Date.now();
  let F: BenchResults["F"] = SKIPPED;
  let H: BenchResults["H"] = SKIPPED;
  let H1: BenchResults["H1"] = SKIPPED;
  if (ONLY.has("F") || ONLY.has("H")) {
    step("F: building the deployable bundle (wrangler deploy --dry-run)");
    const bundle: Bundle = buildBundle();
    try {
      if (ONLY.has("F")) F = bundle.size;
      if (ONLY.has("H")) {
        step(`H: wrangler check startup on that bundle, ${STARTUP_RUNS} times`);
        const sampled = measureStartup(bundle, STARTUP_RUNS);
        step(`H: the same startup by workerd's CPU counter, ${STARTUP_CPU_RUNS} times (and a hello-world's)`);
        H = { ...sampled, cpu: await measureStartupCpu(bundle, STARTUP_CPU_RUNS) };
        step("H′: the first request of each route group, in Node, on the same bundle");
        H1 = measureFirstRequests(bundle, STARTUP_RUNS);
      }
    } finally {
      bundle.remove();
    }
  }

  const persistTo = mkdtempSync(path.join(os.tmpdir(), "contacts-edge-bench-"));
  const target = { persistTo };
  let server: Server | undefined;
  let receiver: HttpServer | undefined;
  try {
    step(`fresh local D1 and KV in ${persistTo}: migrations, organizations, keys`);
    applyMigrations(target);
    const writerOrg = await createOrganization("Bench writes", null, target);
    const writer = await createKey(
      { organizationId: writerOrg, name: "bench", role: "admin", expiresAt: null },
      target,
    );
    const seeded = ONLY.has("D") ? await seedReads(target) : undefined;

    const withKey = async (name: string) => {
      const organizationId = await createOrganization(name, null, target);
      const { key } = await createKey({ organizationId, name: "bench", role: "admin", expiresAt: null }, target);
      return { organizationId, key };
    };
    const floorOrg = await withKey("Bench create floor, subscribed");
    const subscribed = {
      key: (await withKey("Bench writes, subscribed")).key,
      discardingKey: (await withKey("Bench writes, subscribed, sends discarded")).key,
      floorOrganizationId: floorOrg.organizationId,
    };

    step(`starting wrangler dev on port ${opts.port}`);
    server = await startServer(persistTo, Number(opts.port));
    receiver = await subscribedWriters(server, [subscribed.key, subscribed.discardingKey, floorOrg.key]);
    const { A, A0, A1, A2, B, B1, B1Events, B2, B3, B4 } = await abRounds(
      server,
      { key: writer.key, organizationId: writerOrg },
      receiver ? subscribed : undefined,
    );
    const batches = upsertBatches();
    const ceiling = ONLY.has("E")
      ? await startCeiling(writerOrg, batches.newBatches, batches.updateBatches)
      : undefined;
    const C = ONLY.has("C") ? await upsertScenario(server, writer.key, batches, ceiling) : SKIPPED;
    if (ceiling && isMissing(C)) {
      // No C to pair with (skipped, or missing from this build): E's batches one after the other.
      step("E: the same rows straight into SQLite");
      for (const b of batches.newBatches.keys()) await ceiling.insert(b);
      for (const b of batches.updateBatches.keys()) await ceiling.update(b);
    }
    const D = seeded
      ? await readScenarios(server, seeded.key, seeded)
      : { search: SKIPPED, deepPage: SKIPPED, readById: SKIPPED, contacts: 0 };
    if (ONLY.has("G")) step(`G: importing a generated CSV of ${IMPORT_ROWS} rows (upload, validate, execute)`);
    const G = ONLY.has("G") ? await importScenario(server, writer.key, IMPORT_ROWS) : SKIPPED;
    await server.stop();
    server = undefined;

    let E: BenchResults["E"] = SKIPPED;
    if (ceiling) {
      const timed = await ceiling.finish();
      E = {
        ...timed,
        insertRowsPerSecond: (timed.batchSize * 1000) / median(timed.insertMs),
        updateRowsPerSecond: (timed.batchSize * 1000) / median(timed.updateMs),
      };
    }

    const results: BenchResults = { A, A0, A1, A2, B, B1, B1Events, B2, B3, B4, C, D, E, F, G, H, H1 };
    const table = renderTable(results);
    process.stdout.write(`\n${table}\n\n`);

    const dir = path.resolve(import.meta.dirname, "../../bench-results");
    mkdirSync(dir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    const file = path.join(dir, `${stamp}.json`);
    const metrics = flatten(results);
    writeFileSync(
      file,
      `${JSON.stringify(
        {
          timestamp: new Date().toISOString(),
          commit: gitCommit(),
          options: opts,
          machine: { cpus: os.cpus().length, loadavg: os.loadavg(), node: process.version },
          durationSeconds: (Date.now() - started) / 1000,
          metrics,
          targets: targetsOf(results),
          results,
          table,
        },
        null,
        2,
      )}\n`,
    );
    process.stdout.write(
      `written to ${path.relative(process.cwd(), file)} (${Math.round((Date.now() - started) / 1000)} s)\n`,
    );
    if (opts.compare) {
      const before = JSON.parse(readFileSync(opts.compare, "utf8")) as { metrics: Record<string, number | null> };
      process.stdout.write(`\ncompared with ${opts.compare}\n${renderComparison(before.metrics, metrics)}\n`);
    }
  } catch (err) {
    if (server) process.stderr.write(`wrangler dev said:\n${server.tail()}\n`);
    throw err;
  } finally {
    receiver?.close();
    await server?.stop();
    if (!opts.keep) rmSync(persistTo, { recursive: true, force: true });
    else step(`local state kept in ${persistTo}`);
  }
}

function gitCommit(): string | null {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
  } catch {
    return null;
  }
}

await main();
