import { log } from "./lib/log";
import type { QueueMessage } from "./services/events/delivery";
import type { AppEnv } from "./types";
import { fetch } from "./worker";

// The cron and queue handlers import what they use when they run (as `fetch` does, src/worker.ts):
// an isolate started for a request evaluates none of it.
const storage = () =>
  Promise.all([import("./db/client"), import("./db/events"), import("./db/idempotency"), import("./db/retention")]);
const delivery = () => import("./services/events/delivery");

/** The cron of the hourly purge (wrangler.toml [triggers]); every other trigger runs the outbox sweep. */
const PURGE_CRON = "17 * * * *";
const DEAD_LETTER_QUEUE = /-dlq$/;

type WorkerEnv = AppEnv["Bindings"];

export default {
  fetch,
  /**
   * The cron triggers of wrangler.toml: every minute, outbox rows whose send to the queue was lost are
   * sent again; hourly, expired Idempotency-Key records (never served anyway), the retention purge
   * (docs/api.md#retention), and delivered events and attempt logs older than 30 days. Each is
   * bounded per run; what is left waits an hour.
   */
  async scheduled(controller, env) {
    const [{ getDb }, { purgeOldEvents }, { purgeExpiredIdempotencyKeys }, { purgeRetained, retentionOf }] =
      await storage();
    const db = getDb(env.DB);
    if (controller.cron === PURGE_CRON) {
      const deleted = await purgeExpiredIdempotencyKeys(db, controller.scheduledTime);
      log("info", { event: "idempotency_purge", cron: controller.cron, deleted });
      const purged = await purgeRetained(db, controller.scheduledTime, retentionOf(env));
      log("info", { event: "retention_purge", cron: controller.cron, ...purged });
      const events = await purgeOldEvents(db, controller.scheduledTime);
      log("info", { event: "event_purge", cron: controller.cron, deleted: events });
      return;
    }
    const { sweepOutbox } = await delivery();
    const sent = await sweepOutbox(db, env.EVENTS as Queue<QueueMessage>, controller.scheduledTime);
    if (sent > 0) log("info", { event: "outbox_sweep", sent });
  },
  /** The events queue (fan-out, then one signed delivery per endpoint) and its dead-letter queue. */
  async queue(batch, env) {
    const [[{ getDb }], { handleDeadLetters, handleEventBatch }] = await Promise.all([storage(), delivery()]);
    const db = getDb(env.DB);
    if (DEAD_LETTER_QUEUE.test(batch.queue)) return handleDeadLetters(batch, db);
    const max = env.EVENT_RETRY_MAX_DELAY_SECONDS;
    await handleEventBatch(batch, {
      db,
      queue: env.EVENTS as Queue<QueueMessage>,
      maxDelaySeconds: max ? Number(max) : undefined,
    });
  },
} satisfies ExportedHandler<WorkerEnv, QueueMessage>;
export type { App } from "./app";
