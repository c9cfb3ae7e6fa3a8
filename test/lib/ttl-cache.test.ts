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
