/**
 * What `npm run bench` serves: the worker (src/index.ts, as deployed), plus routes that exist only
 * here, so that the runtime's own costs are measured in the same run. All go through the same
 * middleware as `GET /health`: `GET /__bench/d1` runs one `SELECT 1` on the D1 binding (A′),
 * `GET /__bench/floor` also calls the rate limiter once, as every `/api/*` request does (A″), and
 * `GET /__bench/health-unlogged` is `/health` without the request's log line (A0). Never deployed:
 * wrangler.toml's `main` is src/index.ts.
 */
import { createBaseApp } from "../../src/app-base";
import worker from "../../src/index";
import * as health from "../../src/routes/meta/health";

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
const unlogged = createBaseApp({ requestLog: false });
unlogged.get("/__bench/health-unlogged", health.handler);

export default {
  ...worker,
  async fetch(request, env, ctx) {
    // The bench routes' own prefix, checked without parsing the URL: every scenario pays the same.
    const at = request.url.indexOf("/__bench/");
    if (at < 0) return worker.fetch(request, env, ctx);
    return request.url.startsWith("/__bench/health-unlogged", at)
      ? unlogged.fetch(request, env, ctx)
      : bench.fetch(request, env, ctx);
  },
} satisfies typeof worker;
