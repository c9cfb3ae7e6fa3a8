/**
 * What `npm run bench` serves: the worker's own app (src/index.ts builds the same), plus
 * routes that exist only here, so that the runtime's own cost of what a create cannot skip is
 * measured in the same run. They go through the same middleware as `GET /health`:
 * `GET /__bench/d1` runs one `SELECT 1` on the D1 binding (A′), and `GET /__bench/floor` also
 * calls the rate limiter once, as every `/api/*` request does (A″); `POST /__bench/upsert-floor` is
 * the same for C (below). Never deployed: wrangler.toml's `main` is src/index.ts. The worker's other
 * handlers (queues, crons) are its own.
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
// C's floor: what an upsert of 1000 contacts cannot skip in this runtime, and nothing of ours: the
// body read and parsed, one rate-limiter call, one D1 batch that takes the items as one JSON
// parameter (as the upsert's write does) and hands back as many rows, and an answer of that size.
app.post("/__bench/upsert-floor", async (c) => {
  const { data } = (await c.req.json()) as { data: unknown[] };
  await c.env.RATE_LIMITER.limit({ key: "bench-floor" });
  const [echoed] = await c.env.DB.batch<{ item: string }>([
    c.env.DB.prepare("SELECT value AS item FROM json_each(?)").bind(JSON.stringify(data)),
  ]);
  const items = (echoed?.results ?? []).map((r) => JSON.parse(r.item) as unknown);
  return c.json({ data: items, meta: { total: items.length } });
});

export default { ...worker, fetch: app.fetch };
