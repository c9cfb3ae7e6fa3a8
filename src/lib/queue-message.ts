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
 * The least time between the starts of two `sendBatch` calls of {@link sendGathered} to one queue in
 * an isolate: a send that comes sooner waits for it, gathering the sends made meanwhile. At the
 * benchmark's B′ (ten connections, 80–100 creates a second under `wrangler dev`), about 10 requests'
 * events in one `sendBatch`, where sends made as soon as the one in flight ended carried 2–4.
 */
const SEND_SPACING_MS = 100;

/**
 * A gathering older than this has lost its caller (a `waitUntil` cut off, an isolate torn down
 * mid-send: the caller's code never runs again), or its send hangs: the next caller takes it over.
 */
const GATHER_STALE_MS = 10_000;

/** Per queue: the bodies waiting for the next send in this isolate, and since when they wait. */
const gathering = new WeakMap<Queue<never>, { bodies: unknown[]; since: number }>();
/** Per queue: when this isolate's last `sendBatch` of {@link sendGathered} began. */
const lastSendAt = new WeakMap<Queue<never>, number>();

/**
 * {@link sendAll}, with the sends of an isolate's requests gathered: an idle isolate sends at once,
 * but a send that comes less than {@link SEND_SPACING_MS} after the start of the isolate's last one
 * waits until then, and the requests that send meanwhile (or while its send is in flight, for its
 * next round) add their bodies to it and return at once. Under load, one `sendBatch` carries many
 * requests' messages: a send costs about the same whether it carries one message or ten (locally
 * 0.6–1.0 ms of workerd CPU either way in Miniflare, about 2 ms under `wrangler dev`, 2026-12-01;
 * in production, one subrequest), and an event waits up to about {@link SEND_SPACING_MS} more for it
 * (more only while a send itself is slow). The file import's chunks send this way too: their
 * thousand ids wait as little, and go in `sendBatch`es of 100 one after the other. A caller makes at most
 * {@link GATHER_ROUNDS} rounds, so that no request's `waitUntil` runs on while others keep coming,
 * and a gathering that has waited {@link GATHER_STALE_MS} is taken over by the next caller, bodies
 * and all. No caller awaits another request's promise, which the runtime refuses. A failed send
 * fails the bodies gathered behind it too: only the caller of the failed send hears of it, and the
 * caller must have a fallback for all of them (the outbox's sweep).
 *
 * @param options.spacingMs {@link SEND_SPACING_MS}, and `staleMs` {@link GATHER_STALE_MS}, unless a test needs less.
 * @example c.executionCtx.waitUntil(sendGathered(c.env.EVENTS, eventIds.map((eventId) => ({ eventId }))));
 */
export async function sendGathered<Body>(
  queue: Queue<Body>,
  bodies: Body[],
  { spacingMs = SEND_SPACING_MS, staleMs = GATHER_STALE_MS }: { spacingMs?: number; staleMs?: number } = {},
): Promise<void> {
  const waiting = gathering.get(queue) as { bodies: Body[]; since: number } | undefined;
  if (waiting && Date.now() - waiting.since < staleMs) {
    waiting.bodies.push(...bodies);
    return;
  }
  // Emptied, so that a stale caller that comes back sends none of them again.
  const entry = { bodies: [...(waiting?.bodies.splice(0) ?? []), ...bodies], since: Date.now() };
  gathering.set(queue, entry);
  try {
    for (let round = 1; ; round++) {
      const wait = (lastSendAt.get(queue) ?? Number.NEGATIVE_INFINITY) + spacingMs - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      // Empty if a later caller took the gathering over meanwhile: it sends them.
      const batch = entry.bodies.splice(0);
      if (batch.length === 0) return;
      const last = round === GATHER_ROUNDS;
      // The last round's send takes no one else's: a send meanwhile waits for its own turn.
      if (!last) entry.since = Date.now();
      else if (gathering.get(queue) === entry) gathering.delete(queue);
      lastSendAt.set(queue, Date.now());
      await sendAll(queue, batch);
      // No one sent meanwhile: the next send, if it comes within the spacing, waits for its own turn.
      if (last || entry.bodies.length === 0) return;
    }
  } finally {
    // Unless a later caller took the gathering over meanwhile.
    if (gathering.get(queue) === entry) gathering.delete(queue);
  }
}
