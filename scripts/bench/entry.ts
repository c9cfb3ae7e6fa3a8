/**
 * What `npm run bench` serves: the worker's own app (src/index.ts builds the same), plus two
 * routes that exist only here, so that the runtime's own cost of what a create cannot skip is
 * measured in the same run. Both go through the same middleware as `GET /health`:
 * `GET /__bench/d1` runs one `SELECT 1` on the D1 binding (A′), and `GET /__bench/floor` also
 * calls the rate limiter once, as every `/api/*` request does (A″). Never deployed:
 * wrangler.toml's `main` is src/index.ts. The worker's other handlers (queues, crons) are its own.
 */
import { createApp } from "../../src/app";
import worker from "../../src/index";

const app = createApp();
app.get("/__bench/d1", async (c) => {
  await c.env.DB.prepare("SELECT 1").run();
  return c.json({ status: "ok" });
});
app.get("/__bench/floor", async (c) => {
  await c.env.RATE_LIMITER.limit({ key: "bench-floor" });
  await c.env.DB.prepare("SELECT 1").run();
  return c.json({ status: "ok" });
});

export default { ...worker, fetch: app.fetch };
