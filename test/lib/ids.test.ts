import { expect, it } from "vitest";
import { uuidv7 } from "../../src/lib/ids";

it("makes RFC 9562 UUIDv7s that sort by creation time", () => {
  const ids = [uuidv7(1_700_000_000_000), uuidv7(1_700_000_000_001), uuidv7(1_800_000_000_000)];
  for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect([...ids].sort()).toEqual(ids);
  expect(ids[0]?.slice(0, 13).replace("-", "")).toBe((1_700_000_000_000).toString(16).padStart(12, "0"));
});

it("draws fresh random bits for every id, across refills of its pool of random bytes", () => {
  const ids = Array.from({ length: 2_500 }, () => uuidv7(1_700_000_000_000));
  expect(new Set(ids).size).toBe(ids.length);
  for (const id of ids) expect(id).toMatch(/^018bcfe5-6800-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

it("carries each id's own millisecond, however the calls alternate between times", () => {
  const times = [1_700_000_000_000, 1_700_000_000_000, 1_800_000_000_000, 1_700_000_000_000, 0];
  const millisecondOf = (id: string) => Number.parseInt(id.slice(0, 13).replace("-", ""), 16);
  expect(times.map((t) => millisecondOf(uuidv7(t)))).toEqual(times);
});
