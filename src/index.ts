import { createApp } from "./app";
import { getDb } from "./db/client";
import { purgeExpiredIdempotencyKeys } from "./db/idempotency";
import { purgeRetained, retentionOf } from "./db/retention";
import { log } from "./lib/log";

const app = createApp();

export default {
  fetch: app.fetch,
  /**
   * The cron trigger of wrangler.toml: expired Idempotency-Key records (never served anyway), then
   * the retention purge (docs/api.md#retention). Each is bounded per run; what is left waits an hour.
   */
  async scheduled(controller, env) {
    const db = getDb(env.DB);
    const deleted = await purgeExpiredIdempotencyKeys(db, controller.scheduledTime);
    log("info", { event: "idempotency_purge", cron: controller.cron, deleted });
    const purged = await purgeRetained(db, controller.scheduledTime, retentionOf(env));
    log("info", { event: "retention_purge", cron: controller.cron, ...purged });
  },
} satisfies ExportedHandler<Env>;
export type { App } from "./app";
