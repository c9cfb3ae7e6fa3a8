import { ttlCache } from "../lib/ttl-cache";
import { type ApiKeyRecord, apiKeyRecordSchema, kvKeyOf } from "./api-keys";

/**
 * How long a key lookup is trusted inside one isolate, and by KV's edge cache. Together with
 * KV's own propagation (up to ~60 s) this bounds how long a revoked key can keep working.
 */
export const ISOLATE_CACHE_MS = 30_000;
export const KV_CACHE_TTL_S = 30;
const cache = ttlCache<ApiKeyRecord | null>(ISOLATE_CACHE_MS);

/**
 * The record for a key hash: from this isolate's cache while fresh, else one KV read.
 * Unknown keys are cached too, so a flood of bad keys cannot turn into a flood of KV reads.
 * KV failures propagate: the caller answers 503 and never proceeds without an organization.
 */
export async function findApiKey(kv: KVNamespace, hash: string, now = Date.now()): Promise<ApiKeyRecord | null> {
  return cache.get(
    hash,
    async () => {
      const stored = await kv.get(kvKeyOf(hash), { type: "json", cacheTtl: KV_CACHE_TTL_S });
      const parsed = apiKeyRecordSchema.safeParse(stored);
      return parsed.success ? parsed.data : null;
    },
    now,
  );
}

/** The record for a key hash if this isolate holds it, without reading KV: `undefined` when it does not. */
export function cachedApiKey(hash: string, now = Date.now()): ApiKeyRecord | null | undefined {
  return cache.peek(hash, now);
}

/** Called on revocation, so that this isolate refuses the key at once, whatever KV's edge cache still holds. */
export function cacheApiKey(hash: string, record: ApiKeyRecord, now = Date.now()): void {
  cache.set(hash, record, now);
}

/** Tests only: forget cached lookups. */
export function clearApiKeyCache(): void {
  cache.clear();
}

export function isUsable(record: ApiKeyRecord | null, now = Date.now()): record is ApiKeyRecord {
  return record !== null && !record.disabled && (record.expiresAt === null || Date.parse(record.expiresAt) > now);
}
