import { type ApiKeyRecord, apiKeyRecordSchema, kvKeyOf } from "./api-keys";

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
