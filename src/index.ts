import { createApp } from "./app";
import { getDb } from "./db/client";
import { purgeExpiredIdempotencyKeys } from "./db/idempotency";
import { log } from "./lib/log";

const app = createApp();

export default {
  fetch: app.fetch,
  /** The cron trigger of wrangler.toml: expired Idempotency-Key records are deleted (they are never served anyway). */
  async scheduled(controller, env) {
    const deleted = await purgeExpiredIdempotencyKeys(getDb(env.DB), controller.scheduledTime);
    log("info", { event: "idempotency_purge", cron: controller.cron, deleted });
  },
} satisfies ExportedHandler<Env>;
export type { App } from "./app";
