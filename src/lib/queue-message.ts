/**
 * How every message of this app goes to a queue: as `json`. Each is a small object of ids, and
 * the runtime's default, `v8` (structured clone), costs more to send: 2,000 one-message sends from
 * ten clients to a local queue took 240 µs of workerd CPU each as `json`, 340–460 µs as `v8`
 * (2026-12-01, miniflare 5.20261102). A `json` body is also shown as it is in the dashboard.
 *
 * @example await queue.send({ importSessionId }, JSON_MESSAGE);
 */
export const JSON_MESSAGE = { contentType: "json" } as const satisfies QueueSendOptions;

/** The most messages Cloudflare Queues takes in one `sendBatch`. */
const SEND_BATCH = 100;

/**
 * Sends each body as one `json` message, {@link SEND_BATCH} per `sendBatch` call.
 *
 * @example await sendAll(queue, eventIds.map((eventId) => ({ eventId })));
 */
export async function sendAll<Body>(queue: Queue<Body>, bodies: Body[]): Promise<void> {
  for (let i = 0; i < bodies.length; i += SEND_BATCH) {
    await queue.sendBatch(bodies.slice(i, i + SEND_BATCH).map((body) => ({ body, ...JSON_MESSAGE })));
  }
}

/** How many rounds of sends (each a {@link sendAll}) one caller of {@link sendGathered} makes, at most. */
const GATHER_ROUNDS = 4;

/**
 * A gathering older than this has lost its caller (a `waitUntil` cut off, an isolate torn down
 * mid-send: the caller's code never runs again), or its send hangs: the next caller takes it over.
 */
const GATHER_STALE_MS = 10_000;

/** Per queue: the bodies waiting for the send in flight in this isolate to end, and since when it is in flight. */
const gathering = new WeakMap<Queue<never>, { bodies: unknown[]; since: number }>();

/**
 * {@link sendAll}, gathering the requests of an isolate that send while a send is in flight: their
 * bodies wait for it to end and go in the next round's send, made by the caller whose send was in
 * flight, and their own call returns at once. Under load, one `sendBatch` carries many requests'
 * messages: a send costs about the same whether it carries one message or ten (locally 0.6–1.0 ms
 * of workerd CPU either way in Miniflare, about 2 ms under `wrangler dev`, 2026-12-01; in
 * production, one subrequest). A caller makes at most
 * {@link GATHER_ROUNDS} rounds, so that no request's `waitUntil` runs on while others keep coming,
 * and a gathering whose send has been in flight {@link GATHER_STALE_MS} is taken over by the next
 * caller, bodies and all. No caller awaits another request's promise, which the runtime refuses.
 * A failed send fails the bodies gathered behind it too: only the caller of the failed send hears
 * of it, and the caller must have a fallback for all of them (the outbox's sweep).
 *
 * @param options.gatherFirst awaited by a caller that finds no send in flight before its first
 *   send, while the sends made meanwhile join its gathering (the outbox waits there for the
 *   writes already in flight in the isolate). Without it, an idle caller sends at once.
 * @param options.staleMs {@link GATHER_STALE_MS}, unless a test needs less.
 * @example c.executionCtx.waitUntil(sendGathered(c.env.EVENTS, eventIds.map((eventId) => ({ eventId }))));
 */
export async function sendGathered<Body>(
  queue: Queue<Body>,
  bodies: Body[],
  { gatherFirst, staleMs = GATHER_STALE_MS }: { gatherFirst?: () => Promise<void>; staleMs?: number } = {},
): Promise<void> {
  const inFlight = gathering.get(queue) as { bodies: Body[]; since: number } | undefined;
  if (inFlight && Date.now() - inFlight.since < staleMs) {
    inFlight.bodies.push(...bodies);
    return;
  }
  // Emptied, so that a stale caller that comes back sends none of them again.
  let batch = [...(inFlight?.bodies.splice(0) ?? []), ...bodies];
  if (gatherFirst) {
    const open = { bodies: batch, since: Date.now() };
    await gatheringWhile(queue, open, gatherFirst);
    // Empty if a later caller took the gathering over meanwhile: it sends them.
    batch = open.bodies.splice(0);
  }
  for (let round = 1; batch.length > 0; round++) {
    const next = { bodies: [] as Body[], since: Date.now() };
    const send = () => sendAll(queue, batch);
    await (round < GATHER_ROUNDS ? gatheringWhile(queue, next, send) : send());
    batch = next.bodies;
  }
}

/** Runs `work` with `entry` as the queue's gathering: the sends made meanwhile add their bodies to it. */
async function gatheringWhile<Body>(
  queue: Queue<Body>,
  entry: { bodies: Body[]; since: number },
  work: () => Promise<void>,
): Promise<void> {
  gathering.set(queue, entry);
  try {
    await work();
  } finally {
    // Unless a later caller took the gathering over meanwhile.
    if (gathering.get(queue) === entry) gathering.delete(queue);
  }
}
