/**
 * Limits per client address (`CF-Connecting-IP`, IPv6 by /64) through the `IP_RATE_LIMITER`
 * binding, so that guessing API keys or hook tokens costs the guesser, not our KV and D1 reads.
 * Two counts under the one limit: failed authentications under `/api`, and deliveries to `/hooks/*`.
 * A request without `CF-Connecting-IP` did not come through Cloudflare's edge and is not counted.
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { clientIpBucket } from "../lib/client-ip";
import type { ApiError } from "../lib/errors";
import { ttlCache } from "../lib/ttl-cache";
import type { AppEnv } from "../types";
import { documented } from "./documented";
import { allowedBy, policyOf, rateLimited } from "./rate-limit";

const POLICY = "per-ip";

const limitsOf = (env: Env) => ({
  limit: Number(env.RATE_LIMIT_IP_REQUESTS),
  period: Number(env.RATE_LIMIT_IP_PERIOD_SECONDS),
});

const addressOf = (c: Context<AppEnv>) => clientIpBucket(c.req.header("CF-Connecting-IP"));

/**
 * Addresses that the limiter refused a failed authentication, for its window. The binding cannot
 * be asked without counting, so this is how an address over its limit is refused before the KV
 * read that would tell whether its key is valid. Per isolate: another isolate learns it on the
 * address's next failure there (one KV read).
 */
const overLimit = ttlCache<true>(60_000, 10_000);

function tooManyFailures(env: Env): ApiError {
  const { limit, period } = limitsOf(env);
  return rateLimited("Too many failed authentications from this address, retry later", limit, period, POLICY);
}

/** True when the request's address is over its limit of failed authentications (as this isolate knows). */
export function isOverAuthLimit(c: Context<AppEnv>): boolean {
  const address = addressOf(c);
  return address !== undefined && overLimit.peek(address) === true;
}

/**
 * Counts a failed authentication against the request's address. Returns what to answer: the
 * given 401 while the address is within its limit, the 429 once it is over.
 */
export async function countFailedAuth(c: Context<AppEnv>, unauthorized: ApiError): Promise<ApiError> {
  const address = addressOf(c);
  if (address === undefined) return unauthorized;
  if (overLimit.peek(address)) return tooManyFailures(c.env);
  if (await allowedBy(c, c.env.IP_RATE_LIMITER, `auth:${address}`, POLICY)) return unauthorized;
  overLimit.set(address, true, Date.now(), limitsOf(c.env).period * 1000);
  return tooManyFailures(c.env);
}

/**
 * `/hooks/*`: every delivery counts against its address, before the token is looked up. Every
 * answer it lets through carries `RateLimit-Policy`.
 */
export const hookRateLimit = documented(
  createMiddleware<AppEnv>(async (c, next) => {
    const address = addressOf(c);
    if (address === undefined) return next();
    const { limit, period } = limitsOf(c.env);
    if (!(await allowedBy(c, c.env.IP_RATE_LIMITER, `hooks:${address}`, POLICY))) {
      throw rateLimited("Too many deliveries from this address, retry later", limit, period, POLICY);
    }
    await next();
    c.res.headers.set("RateLimit-Policy", policyOf(limit, period, POLICY));
  }),
  { errors: { 429: ["RATE_LIMITED"] }, description: "Deliveries are limited per client address (`429`)." },
);
