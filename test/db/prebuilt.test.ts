import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "../../src/db/client";
import { prebuilt } from "../../src/db/prebuilt";

// The text is built once; the values are each use's own, in the places drizzle put them.
describe("prebuilt", () => {
  const joined = prebuilt(["a", "b"], (db, slot) =>
    db.select({ v: sql<string>`${slot.a} || ${"-"} || ${slot.b} || ${slot.a}`.as("v") }).from(sql`(SELECT 1)`),
  );

  it("binds each use's values, and the build's constants, awaited alone or in a batch", async () => {
    const db = getDb(env.DB);
    expect(await joined(db, { a: "x", b: "y" })).toEqual([{ v: "x-yx" }]);
    expect(await joined(db, { a: "1", b: "2" })).toEqual([{ v: "1-21" }]);
    const [first, second] = await db.batch([joined(db, { a: "p", b: "q" }), joined(db, { a: "r", b: "s" })]);
    expect([first, second]).toEqual([[{ v: "p-qp" }], [{ v: "r-sr" }]]);
  });

  it("refuses a build where drizzle did not bind a slot's marker as given", () => {
    const transformed = prebuilt(["n"], (db, slot) => db.select({ v: sql`${slot.n.length}` }).from(sql`(SELECT 1)`));
    expect(() => transformed(getDb(env.DB), { n: 3 })).toThrow("slots n not bound as given");
  });
});
