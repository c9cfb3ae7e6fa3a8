import type { Db } from "./client";
import { findLiveSourceByTokenHash, type WebhookSourceRow } from "./webhook-sources";

/**
 * How long a token lookup is trusted inside one isolate. D1 itself is read from its primary, so
 * this is the whole revocation bound: a revoked source stops answering within 10 s everywhere,
 * and at once in the isolate that revoked it.
 */
export const SOURCE_CACHE_MS = 10_000;
const MAX_CACHED = 1_000;

const cache = new Map<string, { source: WebhookSourceRow | null; until: number }>();

/**
 * The live source behind a token hash: from this isolate's cache while fresh, else one D1 read.
 * Unknown tokens are cached too, so a flood of guesses cannot become a flood of reads.
 */
export async function findSourceByTokenHash(db: Db, tokenHash: string, now = Date.now()) {
  const hit = cache.get(tokenHash);
  if (hit && hit.until > now) return hit.source;
  const source = (await findLiveSourceByTokenHash(db, tokenHash)) ?? null;
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
  cache.set(tokenHash, { source, until: now + SOURCE_CACHE_MS });
  return source;
}

/** Called on revocation, so this isolate stops at once. */
export function forgetSource(tokenHash: string): void {
  cache.delete(tokenHash);
}

/** Tests only: forget every cached lookup. */
export function clearSourceCache(): void {
  cache.clear();
}
