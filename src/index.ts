import { log } from "./lib/log";
import { loadPhoneMetadata } from "./lib/phone-metadata";
import type { QueueMessage } from "./services/events/delivery";
import type { ImportMessage } from "./services/imports/execute";
import type { AppEnv } from "./types";
import { fetch } from "./worker";

// The cron and queue handlers import what they use when they run (as `fetch` does, src/worker.ts):
// an isolate started for a request evaluates none of it.
const storage = () =>
  Promise.all([import("./db/client"), import("./db/events"), import("./db/idempotency"), import("./db/retention")]);
const delivery = () => import("./services/events/delivery");
const imports = () => Promise.all([import("./services/imports/execute"), import("./services/imports/sweep")]);

/** The cron of the hourly purge (wrangler.toml [triggers]); every other trigger runs the outbox sweep. */
const PURGE_CRON = "17 * * * *";
const DEAD_LETTER_QUEUE = /-dlq$/;
const IMPORT_QUEUE = /-imports$/;

type WorkerEnv = AppEnv["Bindings"];

/** What the file import's consumer and sweep work with. */
async function importDeps(env: WorkerEnv) {
  const { getDb } = await import("./db/client");
  return {
    db: getDb(env.DB),
    bucket: env.IMPORT_FILES,
    queue: env.IMPORTS as Queue<ImportMessage>,
    events: env.EVENTS as Queue<QueueMessage>,
  };
}

export default {
  fetch,
  /**
   * The cron triggers of wrangler.toml: every minute, outbox rows whose send to the queue was lost are
   * sent again, and the file-import sweep (expired sessions, stalled executions) runs; hourly, expired Idempotency-Key records (never served anyway), the retention purge
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
    const [, { sweepImports }] = await imports();
    const swept = await sweepImports(await importDeps(env), controller.scheduledTime);
    if (swept.purged + swept.resumed > 0) log("info", { event: "import_sweep", ...swept });
  },
  /** The events queue (fan-out, then one signed delivery per endpoint), its dead-letter queue, and the imports queue. */
  async queue(batch, env) {
    if (IMPORT_QUEUE.test(batch.queue)) {
      // Its rows' phones are checked against the metadata (src/bundle/phone-metadata.ts); a failed read retries the batch.
      await loadPhoneMetadata(env.ASSETS);
      const [[{ handleImportBatch }], deps] = await Promise.all([imports(), importDeps(env)]);
      return handleImportBatch(batch as MessageBatch<ImportMessage>, deps);
    }
    const [[{ getDb }], { handleDeadLetters, handleEventBatch }] = await Promise.all([storage(), delivery()]);
    const db = getDb(env.DB);
    const events = batch as MessageBatch<QueueMessage>;
    if (DEAD_LETTER_QUEUE.test(batch.queue)) return handleDeadLetters(events, db);
    const max = env.EVENT_RETRY_MAX_DELAY_SECONDS;
    await handleEventBatch(events, {
      db,
      queue: env.EVENTS as Queue<QueueMessage>,
      maxDelaySeconds: max ? Number(max) : undefined,
    });
  },
} satisfies ExportedHandler<WorkerEnv, QueueMessage | ImportMessage>;
export type { App } from "./app";
