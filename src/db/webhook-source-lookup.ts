import { ttlCache } from "../lib/ttl-cache";
import type { Db } from "./client";
import { findLiveSourceByTokenHash, type WebhookSourceRow } from "./webhook-sources";

/**
 * How long a token lookup is trusted inside one isolate. D1 itself is read from its primary, so
 * this is the whole revocation bound: a revoked source stops answering within 10 s everywhere,
 * and at once in the isolate that revoked it.
 */
export const SOURCE_CACHE_MS = 10_000;
const cache = ttlCache<WebhookSourceRow | null>(SOURCE_CACHE_MS);

/**
 * The live source behind a token hash: from this isolate's cache while fresh, else one D1 read.
 * Unknown tokens are cached too, so a flood of guesses cannot become a flood of reads.
 */
export async function findSourceByTokenHash(db: Db, tokenHash: string, now = Date.now()) {
  return cache.get(tokenHash, async () => (await findLiveSourceByTokenHash(db, tokenHash)) ?? null, now);
}

/** Called on revocation, so this isolate stops at once. */
export function forgetSource(tokenHash: string): void {
  cache.delete(tokenHash);
}

/** Tests only: forget every cached lookup. */
export function clearSourceCache(): void {
  cache.clear();
}
