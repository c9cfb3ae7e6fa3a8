/**
 * What `npm run bench` serves: the worker (src/index.ts, as deployed, its queue and cron handlers too), plus what exists only here,
 * so that the runtime's own costs are measured in the same run. `GET /__bench/d1` runs one
 * `SELECT 1` on the D1 binding (A′), `GET /__bench/floor` also calls the rate limiter once, as every
 * `/api/*` request does (A″), `POST /__bench/upsert-floor` is the same for C and
 * `POST /__bench/create-floor` for B (below); they go through the same middleware as `GET /health`.
 * `POST /__bench/consumer` holds the queue consumer while B′ is measured (below). A request with
 * `x-bench-log: off` is served by the worker's own `fetch` built without the request log (A0):
 * `GET /health` exactly as A, minus its log line. A request with `x-bench-queue: off` is served by
 * the worker with an `EVENTS` queue that takes every message and does nothing (B‴: B′ without
 * the sends themselves). Never deployed: the bench builds it as the Worker
 * is built (scripts/build-worker.ts `--entry`, see ./server.ts); wrangler.toml's Worker is src/index.ts.
 */
import { createBaseApp } from "../../src/app-base";
import { getDb } from "../../src/db/client";
import { insertContactIfPhoneFree, toContact } from "../../src/db/contacts";
import { abortIfDefinitionsChanged } from "../../src/db/custom-attributes";
import { outboxStatement } from "../../src/db/events";
import worker from "../../src/index";
import { uuidv7 } from "../../src/lib/ids";
import type { ContactCreateInput } from "../../src/schemas/contact";
import { newContactRow } from "../../src/services/contacts";
import { createFetch } from "../../src/worker";

const bench = createBaseApp();
bench.get("/__bench/d1", async (c) => {
  await c.env.DB.prepare("SELECT 1").run();
  return c.json({ status: "ok" });
});
bench.get("/__bench/floor", async (c) => {
  await c.env.RATE_LIMITER.limit({ key: "bench-floor" });
  await c.env.DB.prepare("SELECT 1").run();
  return c.json({ status: "ok" });
});
// C's floor: what an upsert of 1000 contacts cannot skip in this runtime, and nothing of ours: the
// body read and parsed, one rate-limiter call, one D1 batch that takes the items as one JSON
// parameter (as the upsert's write does) and hands back as many rows, and an answer of that size.
// With `?read=1` (C's updates), first one more D1 round trip that hands back as many rows: an
// update reads the contacts it merges into before it writes (the issue's "one read and one
// set-based write"). Its rows are the items sent (the bench sends new contacts' inputs, a little
// smaller than the stored contacts a real read returns).
bench.post("/__bench/upsert-floor", async (c) => {
  const { data } = (await c.req.json()) as { data: unknown[] };
  await c.env.RATE_LIMITER.limit({ key: "bench-floor" });
  if (c.req.query("read") === "1") {
    await c.env.DB.prepare("SELECT value AS item FROM json_each(?)").bind(JSON.stringify(data)).all();
  }
  const [echoed] = await c.env.DB.batch<{ item: string }>([
    c.env.DB.prepare("SELECT value AS item FROM json_each(?)").bind(JSON.stringify(data)),
  ]);
  const items = (echoed?.results ?? []).map((r) => JSON.parse(r.item) as unknown);
  return c.json({ data: items, meta: { total: items.length } });
});
// B's floor: the create's own D1 batch (the definitions guard, the insert, the outbox statement, in
// a D1 session as the create's), its body read and parsed, one rate-limiter call, the contact as the
// answer; no key lookup, no validation, no phone parsing, no router of ours. The organization (one
// without attribute definitions) comes in a header. B″/A″ is the best B/A″ any create that writes
// this batch can reach here.
bench.post("/__bench/create-floor", async (c) => {
  const input = (await c.req.json()) as ContactCreateInput;
  const organizationId = c.req.header("x-bench-organization") ?? "";
  await c.env.RATE_LIMITER.limit({ key: "bench-floor" });
  const db = getDb(c.env.DB.withSession("first-primary"));
  const row = newContactRow(organizationId, input);
  const outbox = outboxStatement(
    db,
    organizationId,
    "contact.created",
    [{ eventId: uuidv7(), contactId: row.id }],
    row.updatedAt,
  );
  const guard = abortIfDefinitionsChanged(db, organizationId, new Map());
  if (!(await insertContactIfPhoneFree(db, row, [guard, outbox]))) return c.json({ code: "CONTACT_EXISTS" }, 409);
  return c.json(toContact(row), 201);
});

// B′ measures the create's own work: while it runs, the queue consumer waits (in production it runs
// in its own invocations, not on the cores of the writes), and delivers once released.
let consumerHeld = false;
bench.post("/__bench/consumer", async (c) => {
  consumerHeld = ((await c.req.json()) as { held: boolean }).held;
  return c.json({ held: consumerHeld });
});

const unlogged = createFetch({ requestLog: false });

/**
 * B‴'s `EVENTS`: each send serialises its messages and answers on the next turn of the event
 * loop, as a send in flight would (so requests gather behind it), and goes nowhere.
 */
const discarding = {
  sendBatch: async (messages: Iterable<MessageSendRequest>) => {
    JSON.stringify([...messages]);
    await new Promise((resolve) => setTimeout(resolve, 0));
  },
} as unknown as Queue;
/** B‴'s env, made once (the env is the same object for every request of the isolate). */
let discardingEnv: Env | undefined;

export default {
  ...worker,
  async queue(batch, env) {
    while (consumerHeld) await new Promise((r) => setTimeout(r, 50));
    return worker.queue(batch, env);
  },
  async fetch(request, env, ctx) {
    // Every request pays the same checks, A and A0 alike.
    if (request.headers.get("x-bench-log") === "off") return unlogged(request, env, ctx);
    if (request.headers.get("x-bench-queue") === "off") {
      discardingEnv ??= { ...env, EVENTS: discarding };
      return worker.fetch(request, discardingEnv, ctx);
    }
    if (request.url.includes("/__bench/")) return bench.fetch(request, env, ctx);
    return worker.fetch(request, env, ctx);
  },
} satisfies typeof worker;
