import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "../../../src/db/client";
import { type Contact, type ContactRow, toContact } from "../../../src/db/contacts";
import { contacts } from "../../../src/db/schema";
import type { ContactUpdateInput } from "../../../src/schemas/contact";
import { laterThan, mergeContact } from "../../../src/services/contact-merge";
import { updateContact } from "../../../src/services/contacts";
import { withOrgContext } from "../../../src/services/org-context";
import { createContact, errorOf, storedRow } from "../../contact-fixtures";
import { countingD1 } from "../../counting-d1";
import { spyD1 } from "../../d1-spy";
import { api, createTenant, freshPhone, REFERENCE_EXAMPLE } from "../../helpers";

async function update(key: string, id: string, json: unknown, method = "PATCH") {
  const res = await api(`/api/contact/${id}`, { method, key, json });
  return { status: res.status, body: (await res.json()) as Contact & Record<string, unknown> };
}

describe.each(["PATCH", "PUT"])("%s /api/contact/:id", (method) => {
  it("changes the fields sent, keeps the others, and answers what a read then shows", async () => {
    const { key } = await createTenant();
    const before = await createContact(key, REFERENCE_EXAMPLE);
    const { status, body } = await update(key, before.id, { city: "Rabat", gender: "female" }, method);
    expect(status).toBe(200);
    expect(body).toEqual({ ...before, city: "Rabat", gender: "female", updatedAt: body.updatedAt });
    expect(await (await api(`/api/contact/${before.id}`, { key })).json()).toEqual(body);
  });

  it("clears a field sent as null or blank, and replaces channels", async () => {
    const { key } = await createTenant();
    const before = await createContact(key, { ...REFERENCE_EXAMPLE, channels: ["sms", "email"] });
    const { body } = await update(key, before.id, { city: null, zip: "  ", channels: ["whatsapp"] }, method);
    expect(body).toMatchObject({ city: null, zip: null, channels: ["whatsapp"], state: before.state });
  });

  it("merges customAttributes key by key, null removing a key", async () => {
    const { key } = await createTenant();
    const before = await createContact(key, { customAttributes: { age: 30, vip: true, tier: "gold" } });
    const { body } = await update(key, before.id, { customAttributes: { age: 31, vip: null, lang: "fr" } }, method);
    expect(body.customAttributes).toEqual({ age: 31, tier: "gold", lang: "fr" });
    const cleared = await update(key, before.id, { customAttributes: null }, method);
    expect(cleared.body.customAttributes).toEqual({});
  });

  it("re-derives a derived fullName from new names, and keeps one that was given", async () => {
    const { key } = await createTenant();
    const derived = await createContact(key, { firstName: "John", lastName: "Doe" });
    expect((await update(key, derived.id, { lastName: "Smith" }, method)).body.fullName).toBe("John Smith");
    const given = await createContact(key, { firstName: "John", lastName: "Doe", fullName: "Dr. J. Doe" });
    expect((await update(key, given.id, { lastName: "Smith" }, method)).body.fullName).toBe("Dr. J. Doe");
  });

  it("advances updatedAt on every update, even within one millisecond, and never createdAt", async () => {
    const { key } = await createTenant();
    const before = await createContact(key);
    let previous = before.updatedAt;
    for (let i = 0; i < 3; i++) {
      const { body } = await update(key, before.id, { city: `City ${i}` }, method);
      expect(body.updatedAt > previous).toBe(true);
      expect(body.createdAt).toBe(before.createdAt);
      previous = body.updatedAt;
    }
  });

  it("advances updatedAt past the stored one even when the clock is behind it", async () => {
    const { key } = await createTenant();
    const { id } = await createContact(key);
    const future = "2999-01-01T00:00:00.000Z";
    await getDb(env.DB).update(contacts).set({ updatedAt: future }).where(eq(contacts.id, id));
    expect((await update(key, id, { city: "Oujda" }, method)).body.updatedAt).toBe("2999-01-01T00:00:00.001Z");
  });

  it("normalises a new phone with the organization's default country", async () => {
    const { key } = await createTenant({ defaultCountry: "MA" });
    const before = await createContact(key);
    const { status, body } = await update(key, before.id, { primaryPhone: "06 12 34 56 70" }, method);
    expect(status).toBe(200);
    expect(body.primaryPhone).toBe("+212612345670");
  });

  it("answers 409 CONTACT_EXISTS with existingId when moving onto a live contact's phone, and changes nothing", async () => {
    const { key } = await createTenant();
    const holder = await createContact(key);
    const mover = await createContact(key);
    const { status, body } = await update(key, mover.id, { primaryPhone: holder.primaryPhone, city: "Fes" }, method);
    expect(status).toBe(409);
    expect(body).toMatchObject({ code: "CONTACT_EXISTS", existingId: holder.id });
    expect(JSON.stringify(body)).not.toContain(holder.primaryPhone.slice(1));
    expect(await (await api(`/api/contact/${mover.id}`, { key })).json()).toEqual(mover);
  });

  it("lets a contact keep its own phone, and take the phone of a contact in another organization", async () => {
    const { key } = await createTenant();
    const other = await createTenant();
    const contact = await createContact(key);
    expect((await update(key, contact.id, { primaryPhone: contact.primaryPhone }, method)).status).toBe(200);
    const elsewhere = await createContact(other.key);
    expect((await update(key, contact.id, { primaryPhone: elsewhere.primaryPhone }, method)).status).toBe(200);
  });

  it.each([
    [{}, "body"],
    [{ primaryPhone: null }, "primaryPhone"],
    [{ primaryPhone: "12" }, "primaryPhone"],
    [{ primaryEmail: "not-an-email" }, "primaryEmail"],
    [{ gender: "other" }, "gender"],
    [{ nickname: "Jo" }, "nickname"],
    [{ organizationId: "0190f2a8-1234-7abc-8def-0123456789ab" }, "organizationId"],
    [{ id: "0190f2a8-1234-7abc-8def-0123456789ab" }, "id"],
    [{ createdAt: "2020-01-01T00:00:00.000Z" }, "createdAt"],
  ])("answers %j with 400 naming %s, and changes nothing", async (json, field) => {
    const { key } = await createTenant();
    const before = await createContact(key);
    const res = await api(`/api/contact/${before.id}`, { method, key, json });
    expect(await errorOf(res)).toEqual({ status: 400, code: "VALIDATION_FAILED", fields: [field] });
    expect(await (await api(`/api/contact/${before.id}`, { key })).json()).toEqual(before);
  });

  it("refuses with 400 an update whose merged attributes break a limit, and changes nothing", async () => {
    const { key } = await createTenant();
    const hundred = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i]));
    const full = await createContact(key, { customAttributes: hundred });
    const more = await api(`/api/contact/${full.id}`, { method, key, json: { customAttributes: { k100: 1 } } });
    expect(await errorOf(more)).toEqual({ status: 400, code: "VALIDATION_FAILED", fields: ["customAttributes"] });
    expect((await update(key, full.id, { customAttributes: { k0: "zero", k1: null, k100: 1 } }, method)).status).toBe(
      200,
    );

    const text = "x".repeat(1000);
    const large = await createContact(key, {
      customAttributes: Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`t${i}`, text])),
    });
    const larger = await api(`/api/contact/${large.id}`, { method, key, json: { customAttributes: { t16: text } } });
    expect(((await larger.json()) as { fieldDetails: unknown }).fieldDetails).toEqual({
      customAttributes: [{ code: "attributesTooLarge" }],
    });
    expect(await (await api(`/api/contact/${large.id}`, { key })).json()).toEqual(large);
  });

  it("lists a bad phone together with the other bad fields in one 400", async () => {
    const { key } = await createTenant();
    const { id } = await createContact(key);
    const res = await api(`/api/contact/${id}`, { method, key, json: { primaryPhone: "0612345678", gender: "x" } });
    expect(await errorOf(res)).toEqual({ status: 400, code: "VALIDATION_FAILED", fields: ["gender", "primaryPhone"] });
  });

  it("checks customAttributes against the organization's definitions, and normalises them", async () => {
    const { key } = await createTenant();
    const { id } = await createContact(key, { customAttributes: { customer_age: 30, note: "kept" } });
    const defined = await api("/api/custom-attributes", {
      method: "POST",
      key,
      json: { displayName: "Customer Age", type: "number" },
    });
    expect(defined.status).toBe(201);
    const bad = await api(`/api/contact/${id}`, {
      method,
      key,
      json: { customAttributes: { customer_age: "thirty" } },
    });
    expect(await errorOf(bad)).toMatchObject({ status: 400, fields: ["customAttributes.customer_age"] });
    const good = await update(key, id, { customAttributes: { customer_age: 31 } }, method);
    expect(good.body.customAttributes).toEqual({ customer_age: 31, note: "kept" });
  });

  it("refuses a body that is not JSON", async () => {
    const { key } = await createTenant();
    const { id } = await createContact(key);
    const text = await api(`/api/contact/${id}`, {
      method,
      key,
      body: "city=Fes",
      headers: { "Content-Type": "text/plain" },
    });
    expect(text.status).toBe(415);
    const broken = await api(`/api/contact/${id}`, {
      method,
      key,
      body: "{",
      headers: { "Content-Type": "application/json" },
    });
    expect(await errorOf(broken)).toEqual({ status: 400, code: "INVALID_JSON", fields: [] });
  });

  it("answers a non-UUID id with 400 and an unknown id with 404", async () => {
    const { key } = await createTenant();
    expect(await errorOf(await api("/api/contact/nope", { method, key, json: { city: "Fes" } }))).toEqual({
      status: 400,
      code: "VALIDATION_FAILED",
      fields: ["id"],
    });
    const unknown = await api("/api/contact/0190f2a8-1234-7abc-8def-0123456789ab", {
      method,
      key,
      json: { city: "Fes" },
    });
    expect(await errorOf(unknown)).toEqual({ status: 404, code: "NOT_FOUND", fields: [] });
  });
});

/** Runs `write` (as another request would) just before each of the first `times` statements matching `pattern`. */
function raceBefore(pattern: RegExp, write: (round: number) => Promise<unknown>, times = 1) {
  let round = 0;
  return getDb(
    spyD1(env.DB, async (sqls) => {
      if (!sqls.some((sql) => pattern.test(sql))) return;
      if (round < times) await write(round++);
    }),
  );
}
const UPDATE = /^update "contacts"/;

describe("updates that race other writes", () => {
  it("does not lose another request's change made between its read and its write", async () => {
    const tenant = await createTenant();
    const contact = await createContact(tenant.key, { city: "Casablanca" });
    const db = raceBefore(UPDATE, () =>
      getDb(env.DB)
        .update(contacts)
        .set({ city: "Tangier", updatedAt: laterThan(contact.updatedAt, new Date().toISOString()) })
        .where(eq(contacts.id, contact.id)),
    );
    const result = await updateContact(db, tenant.organizationId, contact.id, { firstName: "Jane" });
    expect(result).toMatchObject({ firstName: "Jane", city: "Tangier" });
    expect(await storedRow(contact.id)).toMatchObject({ firstName: "Jane", city: "Tangier" });
  });

  it("answers 404, and does not resurrect, when the contact is deleted between its read and its write", async () => {
    const tenant = await createTenant();
    const contact = await createContact(tenant.key);
    const deletedAt = new Date().toISOString();
    const db = raceBefore(UPDATE, () =>
      getDb(env.DB).update(contacts).set({ deletedAt }).where(eq(contacts.id, contact.id)),
    );
    await expect(updateContact(db, tenant.organizationId, contact.id, { city: "Fes" })).rejects.toMatchObject({
      status: 404,
      code: "NOT_FOUND",
    });
    expect(await storedRow(contact.id)).toMatchObject({ deletedAt, city: null });
  });

  it("applies its fields in one write even when another write lands just before it, never a 503", async () => {
    const tenant = await createTenant();
    const contact = await createContact(tenant.key, { firstName: "Ann" });
    let writes = 0;
    const db = raceBefore(
      UPDATE,
      async () => {
        writes += 1;
        const row = await storedRow(contact.id);
        await getDb(env.DB)
          .update(contacts)
          .set({ zip: "10000", updatedAt: laterThan(row?.updatedAt ?? contact.updatedAt, new Date().toISOString()) })
          .where(eq(contacts.id, contact.id));
      },
      Number.POSITIVE_INFINITY,
    );
    const result = await updateContact(db, tenant.organizationId, contact.id, { city: "Fes" });
    expect(result).toMatchObject({ firstName: "Ann", city: "Fes", zip: "10000" });
    expect(writes).toBe(1);
    expect(await storedRow(contact.id)).toMatchObject({ city: "Fes", zip: "10000", updatedAt: result.updatedAt });
  });

  it("takes the phone when its holder is deleted between the conflict and the lookup of the holder", async () => {
    const tenant = await createTenant();
    const holder = await createContact(tenant.key);
    const mover = await createContact(tenant.key);
    const db = raceBefore(/^select "id" from "contacts"/, () =>
      getDb(env.DB).update(contacts).set({ deletedAt: new Date().toISOString() }).where(eq(contacts.id, holder.id)),
    );
    const result = await updateContact(db, tenant.organizationId, mover.id, { primaryPhone: holder.primaryPhone });
    expect(result.primaryPhone).toBe(holder.primaryPhone);
  });

  it("lets the unique index decide between two updates racing for one free phone", async () => {
    const { key } = await createTenant();
    const phone = freshPhone();
    const [a, b] = [await createContact(key), await createContact(key)];
    const answers = await Promise.all(
      [a, b].map((c) => api(`/api/contact/${c.id}`, { method: "PATCH", key, json: { primaryPhone: phone } })),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
  });
});

describe("cost: D1 round trips of an update", () => {
  it("is one, the merge included, and so is an update whose definitions guard rides in its batch", async () => {
    const tenant = await createTenant();
    const contact = await createContact(tenant.key, { customAttributes: { a: 1 } });
    const counter = countingD1(env.DB);
    const db = getDb(counter.db);
    await updateContact(db, tenant.organizationId, contact.id, { city: "Fes", customAttributes: { b: 2 } });
    expect(counter.roundTrips()).toBe(1);
    await withOrgContext(db, tenant.organizationId, async (org) => {
      await org.attributeTypes();
      const before = counter.roundTrips();
      await updateContact(db, tenant.organizationId, contact.id, { customAttributes: { c: 3 } }, org.writeGuards());
      expect(counter.roundTrips() - before).toBe(1);
    });
    expect((await storedRow(contact.id))?.customAttributes).toBe('{"a":1,"b":2,"c":3}');
  });
});

describe("concurrent PATCHes of one contact", () => {
  // Each PATCH sets a field no other sets (a scalar, then an attribute key) and one that all set (`channels`).
  const OWN_FIELDS = [
    { lastName: "Doe" },
    { primaryEmail: "p1@example.com" },
    { address: "1 Main St" },
    { city: "Rabat" },
    { state: "Rabat-Sale" },
    { zip: "10000" },
    { occupation: "Pilot" },
    { preferredChannel: "sms" },
    { gender: "female" as const },
    { firstName: "Jane" },
  ];
  const patchOf = (round: number, i: number): ContactUpdateInput => ({
    ...OWN_FIELDS[i],
    channels: [`r${round}-${i}`],
    customAttributes: { [`r${round}_k${i}`]: i },
  });

  /**
   * Applies the patches one after another in the order of their answers' `updatedAt`: each answer
   * must be the contact after its own patch, and the stored row the contact after the last one.
   */
  async function expectOneSerialOrder(id: string, start: ContactRow, answers: [ContactUpdateInput, Contact][]) {
    let row = start;
    for (const [patch, answer] of answers.sort(([, a], [, b]) => a.updatedAt.localeCompare(b.updatedAt))) {
      row = mergeContact(row, patch, answer.updatedAt);
      expect(answer).toEqual(toContact(row));
    }
    expect(await storedRow(id)).toEqual(row);
  }

  it("answers every one of 20 with 200 and applies them all, in one serial order, 3 rounds in a row", async () => {
    const { key } = await createTenant();
    const { id } = await createContact(key, { firstName: "Ann", customAttributes: { kept: true } });
    const statuses: number[] = [];
    for (let round = 0; round < 3; round++) {
      const start = (await storedRow(id)) as ContactRow;
      const patches = Array.from({ length: 20 }, (_, i) => patchOf(round, i));
      const responses = await Promise.all(
        patches.map((json) => api(`/api/contact/${id}`, { method: "PATCH", key, json })),
      );
      statuses.push(...responses.map((r) => r.status));
      const bodies = (await Promise.all(responses.map((r) => r.json()))) as Contact[];
      if (statuses.some((s) => s !== 200)) continue;
      await expectOneSerialOrder(
        id,
        start,
        patches.map((patch, i) => [patch, bodies[i] as Contact]),
      );
    }
    expect(statuses).toEqual(Array(60).fill(200));
    const final = await storedRow(id);
    expect(Object.keys(JSON.parse(final?.customAttributes ?? "{}"))).toHaveLength(61);
  });
});
