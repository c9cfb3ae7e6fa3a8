import { createMiddleware } from "hono/factory";
import { routePath } from "hono/route";
import { log } from "../lib/log";
import type { AppEnv } from "../types";

/** The headers every answer carries. */
export const apiHeaders = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  c.res.headers.set("Cache-Control", "no-store");
  c.res.headers.set("X-Content-Type-Options", "nosniff");
});

/** One line per request. */
export const requestLog = createMiddleware<AppEnv>(async (c, next) => {
  const started = Date.now();
  await next();
  log("info", {
    requestId: c.get("requestId"),
    organizationId: c.get("auth")?.organizationId ?? null,
    method: c.req.method,
    route: routePath(c, -1) || null,
    status: c.res.status,
    durationMs: Date.now() - started,
  });
});
