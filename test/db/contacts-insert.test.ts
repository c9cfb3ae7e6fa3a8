import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "../../src/db/client";
import { insertContactIfPhoneFree } from "../../src/db/contacts";
import { contacts } from "../../src/db/schema";
import { newContactRow } from "../../src/services/contacts";
import { createTenant, freshPhone, REFERENCE_EXAMPLE } from "../helpers";

// Each call writes exactly the row it is given, and only while the phone is free.
describe("insertContactIfPhoneFree", () => {
  it("stores every column of each row it is given, call after call", async () => {
    const db = getDb(env.DB);
    const { organizationId } = await createTenant();
    const first = newContactRow(organizationId, {
      ...REFERENCE_EXAMPLE,
      primaryPhone: freshPhone(),
      channels: ["sms"],
    });
    const second = newContactRow(organizationId, { primaryPhone: freshPhone(), gender: "female" });
    expect(await insertContactIfPhoneFree(db, first)).toBe(true);
    expect(await insertContactIfPhoneFree(db, second)).toBe(true);
    for (const row of [first, second]) {
      expect(await db.select().from(contacts).where(eq(contacts.id, row.id)).get()).toEqual(row);
    }
  });

  it("writes nothing when a live contact of the organization has the phone", async () => {
    const db = getDb(env.DB);
    const { organizationId } = await createTenant();
    const phone = freshPhone();
    const held = newContactRow(organizationId, { primaryPhone: phone, firstName: "First" });
    const late = newContactRow(organizationId, { primaryPhone: phone, firstName: "Second" });
    expect(await insertContactIfPhoneFree(db, held)).toBe(true);
    expect(await insertContactIfPhoneFree(db, late)).toBe(false);
    expect(await db.select().from(contacts).where(eq(contacts.id, late.id)).get()).toBeUndefined();
  });

  it("the same phone in another organization is another contact", async () => {
    const db = getDb(env.DB);
    const [a, b] = [await createTenant(), await createTenant()];
    const phone = freshPhone();
    expect(await insertContactIfPhoneFree(db, newContactRow(a.organizationId, { primaryPhone: phone }))).toBe(true);
    expect(await insertContactIfPhoneFree(db, newContactRow(b.organizationId, { primaryPhone: phone }))).toBe(true);
  });
});
