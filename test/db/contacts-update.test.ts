import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { getDb } from "../../src/db/client";
import {
  type ContactRow,
  insertContactIfPhoneFree,
  mergeIntoContact,
  upsertContactByPhone,
} from "../../src/db/contacts";
import { contacts } from "../../src/db/schema";
import type { ContactUpdateInput } from "../../src/schemas/contact";
import { mergeContact } from "../../src/services/contact-merge";
import { newContactRow } from "../../src/services/contacts";
import { createTenant, freshPhone } from "../helpers";

// Hand-written arbitraries of what validation lets through: trimmed, non-empty, well-formed strings.
const word = fc
  .string({ unit: fc.constantFrom("a", "Z", "é", " ", "'", '"', "\\", "\n", "\u{1F600}"), minLength: 1, maxLength: 40 })
  .map((s) => s.trim())
  .filter((s) => s !== "");
const name = fc.oneof(word, fc.constant("x".repeat(64)), fc.constant(`${"y".repeat(62)}\u{1F600}`));
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const attributeScalar = fc.oneof(word, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean());
const attributeValue = fc.oneof(
  attributeScalar,
  fc.array(fc.oneof(attributeScalar, fc.constant(null)), { maxLength: 3 }),
);
const attributeName = fc.constantFrom("age", "tier", "vip", "tags", "note");
const attributes = fc.dictionary(attributeName, attributeValue, { maxKeys: 4 });
const attributePatch = fc.dictionary(attributeName, fc.oneof(attributeValue, fc.constant(null)), { maxKeys: 4 });

const storedFields = fc.record({
  firstName: optional(name),
  lastName: optional(name),
  fullName: fc.oneof(fc.constant(undefined), name),
  city: optional(word),
  channels: optional(fc.array(word, { maxLength: 2 })),
  customAttributes: optional(attributes),
});

const patch: fc.Arbitrary<ContactUpdateInput> = fc.record(
  {
    firstName: fc.option(name),
    lastName: fc.option(name),
    fullName: fc.option(name),
    city: fc.option(word),
    zip: fc.option(word),
    gender: fc.constantFrom("male" as const, "female" as const, null),
    channels: fc.option(fc.array(word, { maxLength: 2 })),
    customAttributes: fc.option(attributePatch),
  },
  { requiredKeys: [] },
);

const at = fc
  .integer({ min: Date.parse("2026-01-01T00:00:00.000Z"), max: Date.parse("2026-01-01T00:00:10.000Z") })
  .map((ms) => new Date(ms).toISOString());

describe("mergeIntoContact", () => {
  it("writes, in one statement, exactly what mergeContact merges, whatever the row and the patch", async () => {
    const db = getDb(env.DB);
    const { organizationId } = await createTenant();
    await fc.assert(
      fc.asyncProperty(storedFields, at, patch, at, async (fields, storedAt, update, now) => {
        const stored: ContactRow = {
          ...newContactRow(organizationId, { primaryPhone: freshPhone(), ...fields }),
          updatedAt: storedAt,
        };
        expect(await insertContactIfPhoneFree(db, stored)).toBe(true);
        const written = await mergeIntoContact(db, organizationId, stored.id, update, now);
        const expected = mergeContact(stored, update, now);
        expect(written).toEqual(expected);
        expect(await db.select().from(contacts).where(eq(contacts.id, stored.id)).get()).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });

  it("answers notFound for a deleted contact or another organization's, and writes nothing", async () => {
    const db = getDb(env.DB);
    const [a, b] = [await createTenant(), await createTenant()];
    const row = newContactRow(a.organizationId, { primaryPhone: freshPhone() });
    await insertContactIfPhoneFree(db, row);
    expect(await mergeIntoContact(db, b.organizationId, row.id, { city: "Fes" }, new Date().toISOString())).toBe(
      "notFound",
    );
    await db.update(contacts).set({ deletedAt: row.createdAt }).where(eq(contacts.id, row.id));
    expect(await mergeIntoContact(db, a.organizationId, row.id, { city: "Fes" }, new Date().toISOString())).toBe(
      "notFound",
    );
    expect(await db.select().from(contacts).where(eq(contacts.id, row.id)).get()).toEqual({
      ...row,
      deletedAt: row.createdAt,
    });
  });

  it("answers phoneTaken when a live contact of the organization holds the phone", async () => {
    const db = getDb(env.DB);
    const { organizationId } = await createTenant();
    const [holder, mover] = [freshPhone(), freshPhone()].map((primaryPhone) =>
      newContactRow(organizationId, { primaryPhone }),
    );
    for (const row of [holder, mover]) await insertContactIfPhoneFree(db, row as ContactRow);
    expect(
      await mergeIntoContact(
        db,
        organizationId,
        (mover as ContactRow).id,
        { primaryPhone: (holder as ContactRow).primaryPhone },
        new Date().toISOString(),
      ),
    ).toBe("phoneTaken");
  });
});

describe("upsertContactByPhone", () => {
  it("inserts when no live contact of the organization has the phone, else merges into the one that has it", async () => {
    const db = getDb(env.DB);
    const [a, b] = [await createTenant(), await createTenant()];
    const phone = freshPhone();
    const upsert = (organizationId: string, patch: Omit<ContactUpdateInput, "primaryPhone">) => {
      const now = new Date().toISOString();
      const row = newContactRow(organizationId, { primaryPhone: phone, ...patch }, new Date(now));
      return upsertContactByPhone(db, row, { primaryPhone: phone, ...patch }, now).write.then(([written]) => ({
        row,
        written,
      }));
    };
    const created = await upsert(a.organizationId, { firstName: "Ann", customAttributes: { a: 1 } });
    expect(created.written).toEqual(created.row);
    const merged = await upsert(a.organizationId, { city: "Fes", customAttributes: { b: 2 } });
    expect(merged.written).toMatchObject({
      id: created.row.id,
      createdAt: created.row.createdAt,
      firstName: "Ann",
      city: "Fes",
      customAttributes: '{"a":1,"b":2}',
    });
    // Another organization's contact, and a deleted one, do not hold the phone.
    expect((await upsert(b.organizationId, {})).written?.id).not.toBe(created.row.id);
    await db.update(contacts).set({ deletedAt: new Date().toISOString() }).where(eq(contacts.id, created.row.id));
    const again = await upsert(a.organizationId, { firstName: "Bea" });
    expect(again.written).toEqual(again.row);
  });
});
