/**
 * What `npm run bench` serves: the worker (src/index.ts, as deployed), plus what exists only here,
 * so that the runtime's own costs are measured in the same run. `GET /__bench/d1` runs one
 * `SELECT 1` on the D1 binding (A′), `GET /__bench/floor` also calls the rate limiter once, as every
 * `/api/*` request does (A″); both go through the same middleware as `GET /health`. A request with
 * `x-bench-log: off` is served by the worker's own `fetch` built without the request log (A0):
 * `GET /health` exactly as A, minus its log line. Never deployed: wrangler.toml's `main` is
 * src/index.ts.
 */
import { createBaseApp } from "../../src/app-base";
import worker from "../../src/index";
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
const unlogged = createFetch({ requestLog: false });

export default {
  ...worker,
  async fetch(request, env, ctx) {
    // Every request pays the same two checks, A and A0 alike.
    if (request.headers.get("x-bench-log") === "off") return unlogged(request, env, ctx);
    if (request.url.includes("/__bench/")) return bench.fetch(request, env, ctx);
    return worker.fetch(request, env, ctx);
  },
} satisfies typeof worker;
