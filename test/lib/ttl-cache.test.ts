import { expect, it } from "vitest";
import { ttlCache } from "../../src/lib/ttl-cache";

it("serves a value, a miss included, until its lifetime ends, then loads again", async () => {
  const cache = ttlCache<string | null>(1_000);
  let loads = 0;
  const load = async () => (++loads > 1 ? "second" : null);
  expect(await cache.get("k", load, 0)).toBeNull();
  expect(await cache.get("k", load, 999)).toBeNull();
  expect(loads).toBe(1);
  expect(await cache.get("k", load, 1_000)).toBe("second");
  cache.delete("k");
  expect(await cache.get("k", load, 1_001)).toBe("second");
  expect(loads).toBe(3);
});

it("keeps at most maxEntries, dropping the oldest written", async () => {
  const cache = ttlCache<number>(60_000, 2);
  let loads = 0;
  const load = async () => ++loads;
  await cache.get("a", load, 0);
  await cache.get("b", load, 0);
  await cache.get("c", load, 0);
  expect(await cache.get("b", load, 1)).toBe(2);
  expect(await cache.get("a", load, 1)).toBe(4);
});

it("peeks without loading, and stores a value for a lifetime of its own", () => {
  const cache = ttlCache<string>(1_000);
  expect(cache.peek("k", 0)).toBeUndefined();
  cache.set("k", "v", 0, 5_000);
  expect(cache.peek("k", 4_999)).toBe("v");
  expect(cache.peek("k", 5_000)).toBeUndefined();
  cache.set("k", "w", 0);
  expect(cache.peek("k", 999)).toBe("w");
  expect(cache.peek("k", 1_000)).toBeUndefined();
});
