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
  return {
    async get(key: string, load: () => Promise<V>, now = Date.now()): Promise<V> {
      const hit = entries.get(key);
      if (hit && hit.until > now) return hit.value;
      const value = await load();
      entries.delete(key);
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
      entries.set(key, { value, until: now + ttlMs });
      return value;
    },
    delete(key: string): void {
      entries.delete(key);
    },
    clear(): void {
      entries.clear();
    },
  };
}
