import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { cachedApiKey, findApiKey, isUsable } from "../db/api-key-lookup";
import { API_KEY_PATTERN, type ApiKeyRecord, type Role } from "../db/api-keys";
import { sha256Hex } from "../lib/crypto";
import { ApiError, serviceUnavailable } from "../lib/errors";
import { recordKeyUse } from "../services/api-keys";
import type { AppEnv } from "../types";
import { documented } from "./documented";
import { countFailedAuth, isOverAuthLimit } from "./ip-rate-limit";

/** One body for missing, malformed, unknown, expired and disabled keys: nothing tells them apart. */
const unauthorized = () => new ApiError("UNAUTHORIZED");

/**
 * The credential a header carries: `undefined` when the header is absent, empty or only whitespace
 * (a client templating an empty token into either header has not sent it). `Authorization` counts
 * as `Bearer <key>`; any other value of it is a credential too, one that can never be valid.
 */
function credentials(c: Context<AppEnv>): [apiKey: string | undefined, authorization: string | undefined] {
  const apiKey = c.req.header("X-API-Key")?.trim() || undefined;
  const authorization = c.req.header("Authorization")?.trim() || undefined;
  const bearer = authorization?.match(/^Bearer(?:\s+(\S*))?$/i);
  return [apiKey, bearer ? bearer[1] || undefined : authorization];
}

/**
 * The one key the request presents. Two different credentials are refused before any lookup:
 * honouring either one would let a header that some proxy or library adds decide the organization.
 */
function presentedKey(c: Context<AppEnv>): string | undefined {
  const [apiKey, authorization] = credentials(c);
  if (apiKey !== undefined && authorization !== undefined && apiKey !== authorization) {
    throw new ApiError("UNAUTHORIZED", {
      message: "Send one API key: X-API-Key and Authorization carry different credentials",
    });
  }
  return apiKey ?? authorization;
}

/**
 * The usable key record the request presents, or a 401. A client address over its limit of failed
 * authentications is refused before the KV read, unless this isolate already holds its key as valid.
 */
async function authenticate(c: Context<AppEnv>): Promise<ApiKeyRecord> {
  const key = presentedKey(c);
  if (!key || !API_KEY_PATTERN.test(key)) throw unauthorized();
  const hash = await sha256Hex(key);
  if (isOverAuthLimit(c) && !isUsable(cachedApiKey(hash) ?? null)) throw unauthorized();
  let record: ApiKeyRecord | null;
  try {
    record = await findApiKey(c.env.API_KEYS, hash);
  } catch {
    throw serviceUnavailable();
  }
  if (!isUsable(record)) throw unauthorized();
  return record;
}

/**
 * Resolves the organization from the API key and puts the key record on the context. Every 401
 * counts against the client's address, and becomes a 429 once the address is over its limit.
 */
export const apiKeyAuth = createMiddleware<AppEnv>(async (c, next) => {
  let record: ApiKeyRecord;
  try {
    record = await authenticate(c);
  } catch (err) {
    throw err instanceof ApiError && err.code === "UNAUTHORIZED" ? await countFailedAuth(c, err) : err;
  }
  c.set("auth", record);
  // `lastUsedAt`: about one KV read and one write an hour per key, after the answer, never before it.
  const recording = recordKeyUse(c.env.API_KEYS, record);
  if (recording) waitUntil(c, recording);
  await next();
});

/** `c.executionCtx.waitUntil`, where there is an execution context (`app.request` in a test has none). */
function waitUntil(c: Context<AppEnv>, promise: Promise<unknown>): void {
  try {
    c.executionCtx.waitUntil(promise);
  } catch {
    // No execution context: the promise runs on its own, and swallows its own failures.
  }
}

/** Only keys of these roles may pass. */
export function requireRole(...roles: Role[]) {
  const needs = `This route needs a key with role ${roles.join(" or ")}`;
  const middleware = createMiddleware<AppEnv>(async (c, next) => {
    if (!roles.includes(c.get("auth").role)) throw new ApiError("FORBIDDEN", { message: needs });
    await next();
  });
  return documented(middleware, { errors: { 403: ["FORBIDDEN"] }, description: `${needs}.` });
}
