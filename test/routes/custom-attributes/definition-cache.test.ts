import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createApp } from "../../../src/app";
import { getDb } from "../../../src/db/client";
import { contacts, customAttributes } from "../../../src/db/schema";
import type { AttributeType } from "../../../src/schemas/custom-attribute";
import { countingD1 } from "../../counting-d1";
import { api, createTenant, freshPhone, insertDefinition, type Tenant } from "../../helpers";
import { createSource, deliver } from "../../webhook-helpers";

/*
 * Definitions are cached per isolate (src/services/org-context.ts). These tests change them
 * behind the cache's back, straight in D1, as a request served by another isolate would, and
 * check that the very next write still follows the definitions that are live in D1.
 */

const db = () => getDb(env.DB);

/** A definition written by "another isolate": straight into D1. */
const defineElsewhere = (tenant: Tenant, name: string, type: AttributeType) =>
  insertDefinition(tenant.organizationId, name, type);

async function deleteElsewhere(tenant: Tenant, name: string) {
  const now = new Date().toISOString();
  await db()
    .update(customAttributes)
    .set({ deletedAt: now, updatedAt: now })
    .where(and(eq(customAttributes.organizationId, tenant.organizationId), eq(customAttributes.name, name)));
}

const create = (tenant: Tenant, customAttributes: unknown) =>
  api("/api/contact", { method: "POST", key: tenant.key, json: { primaryPhone: freshPhone(), customAttributes } });

async function storedAttributes(id: string) {
  const row = await db().select().from(contacts).where(eq(contacts.id, id)).get();
  return JSON.parse(row?.customAttributes ?? "null") as Record<string, unknown>;
}

async function detailsOf(res: Response) {
  expect(res.status).toBe(400);
  return ((await res.json()) as { fieldDetails: Record<string, { code: string }[]> }).fieldDetails;
}

/** Fills the isolate's cache for the tenant: a write that carries an attribute value. */
async function warm(tenant: Tenant) {
  expect((await create(tenant, { warm: "up" })).status).toBe(201);
}

describe("definitions cached per isolate, never trusted blindly", () => {
  it("create: a definition made elsewhere applies to the very next write (the write's guard aborts it)", async () => {
    const tenant = await createTenant();
    await warm(tenant);
    await defineElsewhere(tenant, "seats", "number");
    expect(await detailsOf(await create(tenant, { seats: "twelve" }))).toEqual({
      "customAttributes.seats": [{ code: "attributeType" }],
    });
    const ok = await create(tenant, { seats: 12 });
    expect(ok.status).toBe(201);
  });

  it("create: a definition deleted elsewhere no longer refuses (a refusal is re-checked on fresh definitions)", async () => {
    const tenant = await createTenant();
    await defineElsewhere(tenant, "seats", "number");
    await warm(tenant);
    await deleteElsewhere(tenant, "seats");
    const res = await create(tenant, { seats: "twelve" });
    expect(res.status).toBe(201);
    expect(await storedAttributes(((await res.json()) as { id: string }).id)).toEqual({ seats: "twelve" });
  });

  it("create: a value normalised by a definition made elsewhere is stored normalised", async () => {
    const tenant = await createTenant();
    await warm(tenant);
    await defineElsewhere(tenant, "mail", "email");
    const res = await create(tenant, { mail: "  Ana@Example.COM " });
    expect(res.status).toBe(201);
    expect(await storedAttributes(((await res.json()) as { id: string }).id)).toEqual({ mail: "ana@example.com" });
  });

  it("upsert: a definition made elsewhere applies to the very next write", async () => {
    const tenant = await createTenant();
    await warm(tenant);
    await defineElsewhere(tenant, "seats", "number");
    const res = await api("/api/contact/upsert", {
      method: "POST",
      key: tenant.key,
      json: { data: [{ primaryPhone: freshPhone(), customAttributes: { seats: "twelve" } }] },
    });
    expect(await detailsOf(res)).toEqual({ "data.0.customAttributes.seats": [{ code: "attributeType" }] });
  });

  it("update: a definition made elsewhere applies to the very next write", async () => {
    const tenant = await createTenant();
    const created = await create(tenant, { warm: "up" });
    const { id } = (await created.json()) as { id: string };
    await defineElsewhere(tenant, "seats", "number");
    const res = await api(`/api/contact/${id}`, {
      method: "PATCH",
      key: tenant.key,
      json: { customAttributes: { seats: "twelve" } },
    });
    expect(await detailsOf(res)).toEqual({ "customAttributes.seats": [{ code: "attributeType" }] });
    expect(await storedAttributes(id)).toEqual({ warm: "up" });
  });

  it("webhooks: form text is read as a type defined elsewhere since the cache was filled", async () => {
    const tenant = await createTenant();
    const source = await createSource(tenant.key, {
      name: "f",
      provider: "form",
      fieldMap: { seats: "customAttributes.seats" },
    });
    const headers = { "Content-Type": "application/x-www-form-urlencoded" };
    const before = await deliver(source.path, `phone=${encodeURIComponent(freshPhone())}&seats=12`, headers);
    const { contactId: first } = (await before.json()) as { contactId: string };
    expect(await storedAttributes(first)).toEqual({ seats: "12" });
    await defineElsewhere(tenant, "seats", "number");
    const after = await deliver(source.path, `phone=${encodeURIComponent(freshPhone())}&seats=12`, headers);
    expect(after.status).toBe(200);
    const { contactId } = (await after.json()) as { contactId: string };
    expect(await storedAttributes(contactId)).toEqual({ seats: 12 });
  });
});

describe("cost: D1 round trips of POST /api/contact", () => {
  /** `SELECT name, type FROM custom_attributes …`: the definitions read (not the write's guard). */
  const DEFINITIONS_READ = /^select "name", "type" from "custom_attributes"/i;

  async function countedCreate(tenant: Tenant, json: unknown) {
    const counter = countingD1(env.DB);
    const res = await createApp().request(
      "/api/contact",
      {
        method: "POST",
        headers: { "X-API-Key": tenant.key, "Content-Type": "application/json" },
        body: JSON.stringify(json),
      },
      { ...env, DB: counter.db },
    );
    return {
      status: res.status,
      definitionReads: counter.statements.filter((sql) => DEFINITIONS_READ.test(sql)).length,
      roundTrips: counter.roundTrips(),
    };
  }

  it("is one round trip, definitions included, once the isolate has them; a cold isolate reads them once", async () => {
    const tenant = await createTenant();
    const res = await api("/api/custom-attributes", {
      method: "POST",
      key: tenant.key,
      json: { displayName: "Age", type: "number" },
    });
    expect(res.status).toBe(201);
    const phone = () => ({ primaryPhone: freshPhone() });

    // The isolate does not know yet whether the organization has a webhook endpoint: after the answer,
    // one read tells it whether to send the write's events to the queue (src/services/events/outbox.ts).
    expect(await countedCreate(tenant, { ...phone(), firstName: "A" })).toEqual({
      status: 201,
      definitionReads: 0,
      roundTrips: 2,
    });
    // Only removals: null passes whatever the type, so there is nothing to check.
    expect(await countedCreate(tenant, { ...phone(), customAttributes: { age: null } })).toEqual({
      status: 201,
      definitionReads: 0,
      roundTrips: 1,
    });
    expect(await countedCreate(tenant, { ...phone(), customAttributes: { age: 30, x: ["y"] } })).toEqual({
      status: 201,
      definitionReads: 1,
      roundTrips: 2,
    });
    expect(await countedCreate(tenant, { ...phone(), customAttributes: { age: 31 } })).toEqual({
      status: 201,
      definitionReads: 0,
      roundTrips: 1,
    });
    // A refusal from cached definitions is confirmed on fresh ones before it is answered.
    expect(await countedCreate(tenant, { ...phone(), customAttributes: { age: "old" } })).toEqual({
      status: 400,
      definitionReads: 1,
      roundTrips: 1,
    });
  });
});
