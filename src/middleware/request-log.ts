import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { routePath } from "hono/route";
import { log } from "../lib/log";
import type { AppEnv } from "../types";

/**
 * The share of successful requests (status below 400) whose line is written. A line costs the
 * isolate its serialisation and Workers Logs one billed event; measured locally (docs/benchmark.md,
 * row A0) one line per request cost `/health` 0.9 ms of workerd CPU, 0.7 ms of wrangler's, and 44%
 * of its throughput under `wrangler dev`; at 1% the difference is within noise. Every refused or failed request (status 400 or more) is still written: those are
 * the lines anyone reads.
 */
export const SUCCESS_SAMPLE_RATE = 0.01;

/** The headers every answer carries. */
export const apiHeaders = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  c.res.headers.set("Cache-Control", "no-store");
  c.res.headers.set("X-Content-Type-Options", "nosniff");
});

/** The rate a request's line is kept at: 1 for what is always written, else {@link SUCCESS_SAMPLE_RATE}. */
const sampleRateOf = (c: Context<AppEnv>) => (c.res.status >= 400 ? 1 : SUCCESS_SAMPLE_RATE);

/**
 * One line per request kept (see {@link SUCCESS_SAMPLE_RATE}): ids, route pattern, status, duration,
 * and `sampleRate`, so that counts add up (a line stands for `1 / sampleRate` requests).
 */
export const requestLog = createMiddleware<AppEnv>(async (c, next) => {
  const started = Date.now();
  await next();
  const sampleRate = sampleRateOf(c);
  if (sampleRate < 1 && Math.random() >= sampleRate) return;
  log("info", {
    requestId: c.get("requestId"),
    organizationId: c.get("auth")?.organizationId ?? null,
    method: c.req.method,
    route: routePath(c, -1) || null,
    status: c.res.status,
    durationMs: Date.now() - started,
    sampleRate,
  });
});
