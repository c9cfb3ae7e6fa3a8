/**
 * A per-isolate cache: each entry is trusted for `ttlMs`, and at most `maxEntries` are kept
 * (the oldest written goes first). A miss is cached like a hit (store `null`), so a flood of
 * unknown keys cannot become a flood of reads.
 *
 * @example
 * const keys = ttlCache<ApiKeyRecord | null>(30_000);
 * const record = await keys.get(hash, () => readFromKv(hash));
 */
export function ttlCache<V>(ttlMs: number, maxEntries = 1_000) {
  const entries = new Map<string, { value: V; until: number }>();
  const cache = {
    async get(key: string, load: () => Promise<V>, now = Date.now()): Promise<V> {
      const hit = entries.get(key);
      if (hit && hit.until > now) return hit.value;
      const value = await load();
      cache.set(key, value, now);
      return value;
    },
    /** The fresh value under `key`, without loading: `undefined` when there is none. */
    peek(key: string, now = Date.now()): V | undefined {
      const hit = entries.get(key);
      return hit && hit.until > now ? hit.value : undefined;
    },
    /** Stores `value` for `lifetimeMs` (the cache's own lifetime unless told). */
    set(key: string, value: V, now = Date.now(), lifetimeMs = ttlMs): void {
      entries.delete(key);
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
      entries.set(key, { value, until: now + lifetimeMs });
    },
    delete(key: string): void {
      entries.delete(key);
    },
    clear(): void {
      entries.clear();
    },
  };
  return cache;
}
