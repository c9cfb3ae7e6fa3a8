import { z } from "zod";
import { randomToken, sha256Hex } from "../lib/crypto";
import { uuidv7 } from "../lib/ids";

/** The KV record behind a key, stored under `apikey:<sha256 hex of the key>` (CONTRACT §2). */
export const apiKeyRecordSchema = z.object({
  keyId: z.string(),
  organizationId: z.string(),
  name: z.string(),
  role: z.enum(["admin", "manager", "agent"]),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  disabled: z.boolean(),
});
export type ApiKeyRecord = z.infer<typeof apiKeyRecordSchema>;
export type Role = ApiKeyRecord["role"];

/** `cek_` then 32 base64url characters (192 random bits). */
export const API_KEY_PREFIX = "cek_";
export const API_KEY_PATTERN = /^cek_[A-Za-z0-9_-]{32}$/;

export const kvKeyOf = (hash: string) => `apikey:${hash}`;

/**
 * How long a key lookup is trusted inside one isolate, and by KV's edge cache. Together with
 * KV's own propagation (up to ~60 s) this bounds how long a revoked key can keep working.
 */
export const ISOLATE_CACHE_MS = 30_000;
export const KV_CACHE_TTL_S = 30;
const MAX_CACHED = 1_000;

const cache = new Map<string, { record: ApiKeyRecord | null; until: number }>();

/**
 * The record for a key hash: from this isolate's cache while fresh, else one KV read.
 * Unknown keys are cached too, so a flood of bad keys cannot turn into a flood of KV reads.
 * KV failures propagate: the caller answers 503 and never proceeds without an organization.
 */
export async function findApiKey(kv: KVNamespace, hash: string, now = Date.now()): Promise<ApiKeyRecord | null> {
  const hit = cache.get(hash);
  if (hit && hit.until > now) return hit.record;
  const stored = await kv.get(kvKeyOf(hash), { type: "json", cacheTtl: KV_CACHE_TTL_S });
  const parsed = apiKeyRecordSchema.safeParse(stored);
  const record = parsed.success ? parsed.data : null;
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
  cache.set(hash, { record, until: now + ISOLATE_CACHE_MS });
  return record;
}

/** Tests only: forget cached lookups. */
export function clearApiKeyCache(): void {
  cache.clear();
}

export function isUsable(record: ApiKeyRecord | null, now = Date.now()): record is ApiKeyRecord {
  return record !== null && !record.disabled && (record.expiresAt === null || Date.parse(record.expiresAt) > now);
}

/**
 * A new key and the KV entry that stands for it. The key itself is returned once, to be shown
 * once; only its SHA-256 is stored. Used by the key CLI and by tests.
 */
export async function mintApiKey(input: {
  organizationId: string;
  name: string;
  role: Role;
  expiresAt?: string | null;
}): Promise<{ key: string; kvKey: string; record: ApiKeyRecord; metadata: { keyId: string; organizationId: string } }> {
  const key = randomToken(API_KEY_PREFIX);
  const record: ApiKeyRecord = {
    keyId: uuidv7(),
    organizationId: input.organizationId,
    name: input.name,
    role: input.role,
    createdAt: new Date().toISOString(),
    expiresAt: input.expiresAt ?? null,
    disabled: false,
  };
  return {
    key,
    kvKey: kvKeyOf(await sha256Hex(key)),
    record,
    // KV list returns metadata without a read per key: `keys list` and `keys revoke` use it.
    metadata: { keyId: record.keyId, organizationId: record.organizationId },
  };
}
