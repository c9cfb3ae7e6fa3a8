import { createMiddleware } from "hono/factory";
import { findApiKey, isUsable } from "../db/api-key-lookup";
import { API_KEY_PATTERN, type Role } from "../db/api-keys";
import { sha256Hex } from "../lib/crypto";
import { ApiError, serviceUnavailable } from "../lib/errors";
import type { AppEnv } from "../types";
import { documented } from "./documented";

/** One body for missing, malformed, unknown, expired and disabled keys: nothing tells them apart. */
const unauthorized = () => new ApiError("UNAUTHORIZED");

function presentedKey(c: { req: { header(name: string): string | undefined } }): string | undefined {
  const apiKey = c.req.header("X-API-Key");
  if (apiKey !== undefined) return apiKey.trim();
  const authorization = c.req.header("Authorization");
  const match = authorization?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}

/** Resolves the organization from the API key and puts the key record on the context. */
export const apiKeyAuth = createMiddleware<AppEnv>(async (c, next) => {
  const key = presentedKey(c);
  if (!key || !API_KEY_PATTERN.test(key)) throw unauthorized();
  let record: Awaited<ReturnType<typeof findApiKey>>;
  try {
    record = await findApiKey(c.env.API_KEYS, await sha256Hex(key));
  } catch {
    throw serviceUnavailable();
  }
  if (!isUsable(record)) throw unauthorized();
  c.set("auth", record);
  await next();
});

/** Only keys of these roles may pass. */
export function requireRole(...roles: Role[]) {
  const needs = `This route needs a key with role ${roles.join(" or ")}`;
  const middleware = createMiddleware<AppEnv>(async (c, next) => {
    if (!roles.includes(c.get("auth").role)) throw new ApiError("FORBIDDEN", { message: needs });
    await next();
  });
  return documented(middleware, { errors: { 403: ["FORBIDDEN"] }, description: `${needs}.` });
}
