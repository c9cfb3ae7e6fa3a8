/**
 * What `npm run bench` serves: the worker's own app (src/index.ts builds the same), plus one
 * route that exists only here, so that the runtime's own cost of a D1 round trip is measured in
 * the same run: `GET /__bench/d1` goes through the same middleware as `GET /health` and runs one
 * `SELECT 1` on the D1 binding. Never deployed: wrangler.toml's `main` is src/index.ts.
 */
import { createApp } from "../../src/app";

const app = createApp();
app.get("/__bench/d1", async (c) => {
  await c.env.DB.prepare("SELECT 1").run();
  return c.json({ status: "ok" });
});

export default app;
