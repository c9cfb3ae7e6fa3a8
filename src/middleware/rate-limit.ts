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
export const policyOf = (limit: number, period: number, name = "per-key") => `"${name}";q=${limit};w=${period}`;

/**
 * The 429 of a limit. The bindings tell only allowed or not (no remaining count, no reset time),
 * so it says `r=0` and, as the wait, the whole window: an upper bound.
 */
export function rateLimited(message: string, limit: number, period: number, name = "per-key"): ApiError {
  return new ApiError("RATE_LIMITED", {
    message,
    headers: {
      "Retry-After": String(period),
      "RateLimit-Policy": policyOf(limit, period, name),
      RateLimit: `"${name}";r=0;t=${period}`,
    },
  });
}

/**
 * Asks a rate-limiting binding about `key` (what is counted: never logged). If the binding itself
 * fails, the answer is yes (fail open): a limit protects capacity, it is not a correctness check.
 */
export async function allowedBy(
  c: { get(name: "requestId"): string },
  limiter: RateLimit,
  key: string,
  policy = "per-key",
): Promise<boolean> {
  try {
    return (await limiter.limit({ key })).success;
  } catch (err) {
    log("warn", {
      requestId: c.get("requestId"),
      event: "rate_limiter_failed",
      policy,
      error: err instanceof Error ? err.name : typeof err,
    });
    return true;
  }
}

/**
 * Per-API-key rate limit through the Workers rate-limiting binding, checked right after auth and
 * before anything reads the body or writes. Every response it lets through carries `RateLimit-Policy`.
 */
export const rateLimit = createMiddleware<AppEnv>(async (c, next) => {
  const limit = Number(c.env.RATE_LIMIT_REQUESTS);
  const period = Number(c.env.RATE_LIMIT_PERIOD_SECONDS);
  if (!(await allowedBy(c, c.env.RATE_LIMITER, c.get("auth").keyId))) {
    throw rateLimited("Too many requests for this API key, retry later", limit, period);
  }
  await next();
  c.res.headers.set("RateLimit-Policy", policyOf(limit, period));
});
