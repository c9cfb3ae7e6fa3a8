import { createMiddleware } from "hono/factory";
import { ApiError } from "../lib/errors";
import { log } from "../lib/log";
import type { AppEnv } from "../types";

/**
 * The policy in the IETF draft's structured-field form (draft-ietf-httpapi-ratelimit-headers):
 * quota `q` requests per window `w` seconds, named after what is counted.
 *
 * @example policyOf(600, 60) // "per-key";q=600;w=60
 */
export const policyOf = (limit: number, period: number) => `"per-key";q=${limit};w=${period}`;

/**
 * Per-API-key rate limit through the Workers rate-limiting binding, checked right after auth and
 * before anything reads the body or writes. The binding tells only allowed or not (no remaining
 * count, no reset time), so a 429 says `r=0` and, as the wait, the whole window: an upper bound.
 * Every response it lets through carries `RateLimit-Policy`. If the binding itself fails, the
 * request goes through (fail open): the limit protects capacity, it is not a correctness check.
 */
export const rateLimit = createMiddleware<AppEnv>(async (c, next) => {
  const period = Number(c.env.RATE_LIMIT_PERIOD_SECONDS);
  const policy = policyOf(Number(c.env.RATE_LIMIT_REQUESTS), period);
  let allowed = true;
  try {
    ({ success: allowed } = await c.env.RATE_LIMITER.limit({ key: c.get("auth").keyId }));
  } catch (err) {
    log("warn", {
      requestId: c.get("requestId"),
      event: "rate_limiter_failed",
      error: err instanceof Error ? err.name : typeof err,
    });
  }
  if (!allowed) {
    throw new ApiError("RATE_LIMITED", {
      message: "Too many requests for this API key, retry later",
      headers: { "Retry-After": String(period), "RateLimit-Policy": policy, RateLimit: `"per-key";r=0;t=${period}` },
    });
  }
  await next();
  c.res.headers.set("RateLimit-Policy", policy);
});
