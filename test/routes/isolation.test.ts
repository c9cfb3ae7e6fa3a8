import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { clearApiKeyCache } from "../../src/db/api-key-lookup";
import { getDb } from "../../src/db/client";
import type { Contact } from "../../src/db/contacts";
import type { Definition } from "../../src/db/custom-attributes";
import {
  customAttributes,
  events,
  importRows,
  importSessions,
  webhookDeliveries,
  webhookEndpoints,
  webhookSources,
} from "../../src/db/schema";
import { uuidv7 } from "../../src/lib/ids";
import { listApiKeys } from "../../src/services/api-keys";
import { createContact, errorOf, storedRowsOf } from "../contact-fixtures";
import { apiRecorded, type CreatedEndpoint, recordingQueue, subscribe } from "../event-helpers";
import { api, createTenant, REFERENCE_EXAMPLE, type Tenant } from "../helpers";
import { execute, uploaded, validate } from "../import-helpers";
import { type CreatedSource, createSource, deliver } from "../webhook-helpers";

interface World {
  /** The victim: its data must stay invisible and unchanged. */
  a: Tenant;
  /** The caller, with a key of its own organization. */
  b: Tenant;
  /** A's live contacts made through the API. */
  aContacts: Contact[];
  aDeleted: Contact;
  /** The contact that A's webhook delivery made. */
  aDeliveredId: string;
  bContact: Contact;
  /** A's custom attribute definitions: a live one (`customer_age`, a number), then a deleted one. */
  aAttribute: Definition;
  aDeletedAttribute: Definition;
  /** A's webhook sources, with one delivery logged on the live one: a live one, then a revoked one. */
  aSource: CreatedSource;
  aRevokedSource: CreatedSource;
  bSource: CreatedSource;
  /** A second key of A, made through the API. */
  aAgent: Tenant;
  /** A's webhook endpoints, an enabled one then a disabled one, and an event of A's outbox. */
  aEndpoint: CreatedEndpoint;
  aDisabledEndpoint: CreatedEndpoint;
  aEventId: string;
  bEndpoint: CreatedEndpoint;
  /** A's file import, validated, with one invalid row (so its failed rows are not empty). */
  aImportId: string;
}

/** Everything organization A has stored, deleted rows included: it must not change. */
async function storedDataOf(organizationId: string) {
  return {
    contacts: await storedRowsOf(organizationId),
    customAttributes: await getDb(env.DB)
      .select()
      .from(customAttributes)
      .where(eq(customAttributes.organizationId, organizationId))
      .orderBy(customAttributes.id),
    webhookSources: await getDb(env.DB)
      .select()
      .from(webhookSources)
      .where(eq(webhookSources.organizationId, organizationId))
      .orderBy(webhookSources.id),
    webhookDeliveries: await getDb(env.DB)
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.organizationId, organizationId))
      .orderBy(webhookDeliveries.id),
    webhookEndpoints: await getDb(env.DB)
      .select()
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.organizationId, organizationId))
      .orderBy(webhookEndpoints.id),
    importSessions: await getDb(env.DB)
      .select()
      .from(importSessions)
      .where(eq(importSessions.organizationId, organizationId))
      .orderBy(importSessions.id),
    importRows: await getDb(env.DB)
      .select()
      .from(importRows)
      .innerJoin(importSessions, eq(importSessions.id, importRows.sessionId))
      .where(eq(importSessions.organizationId, organizationId))
      .orderBy(importRows.sessionId, importRows.seq),
  };
}

async function define(key: string, body: Record<string, unknown>): Promise<Definition> {
  const res = await api("/api/custom-attributes", { method: "POST", key, json: body });
  expect(res.status).toBe(201);
  return res.json();
}

/** The phone of the contact that A's webhook delivery made. */
const A_DELIVERED_PHONE = "+212612345699";

/** Each of A's contact ids, live and deleted. */
const eachOfAsIds = (w: World) => [...[...w.aContacts, w.aDeleted].map((c) => c.id), w.aDeliveredId];
const eachOfAsAttributeIds = (w: World) => [w.aAttribute.id, w.aDeletedAttribute.id];
const eachOfAsSourceIds = (w: World) => [w.aSource.id, w.aRevokedSource.id];
const eachOfAsEndpointIds = (w: World) => [w.aEndpoint.id, w.aDisabledEndpoint.id];

async function expectNotFound(res: Response, what: string) {
  expect(await errorOf(res), what).toEqual({ status: 404, code: "NOT_FOUND", fields: [] });
}

/**
 * What organization B's key may do on each route, and what it must get. Keyed by method and
 * route pattern exactly as `createApp().routes` lists them. After each case the test also
 * checks that every stored row of A (contacts, attribute definitions, webhook sources and
 * deliveries, deleted and revoked ones included) is unchanged.
 */
const CASES: Record<string, (w: World) => Promise<void>> = {
  "GET /health": async () => {
    const res = await api("/health");
    expect(await res.json()).toEqual({ status: "ok" });
  },

  // The API's description: the same for everyone, and it must hold no organization's data.
  "GET /openapi.json": async (w) => {
    const text = await (await api("/openapi.json", { key: w.b.key })).text();
    expect(text).not.toContain(w.a.organizationId);
    expect(text).not.toContain(w.b.organizationId);
  },

  "GET /docs": async (w) => {
    const text = await (await api("/docs", { key: w.b.key })).text();
    expect(text).not.toContain(w.a.organizationId);
    expect(text).not.toContain(w.b.organizationId);
  },

  "GET /api/me": async (w) => {
    const body = (await (await api("/api/me", { key: w.b.key })).json()) as { organizationId: string };
    expect(body.organizationId).toBe(w.b.organizationId);
  },

  "GET /api/contact": async (w) => {
    const aIds = new Set(eachOfAsIds(w));
    const a = w.aContacts[0] as Contact;
    for (const query of [
      "?limit=100",
      "?search=John",
      "?search=Jo",
      `?search=${encodeURIComponent(a.primaryPhone)}`,
      `?primaryPhone=${encodeURIComponent(a.primaryPhone)}`,
      "?primaryEmail=joanna@a.test",
      "?sortBy=updatedAt&sortOrder=asc&updatedAfter=2000-01-01T00:00:00Z",
    ]) {
      const res = await api(`/api/contact${query}`, { key: w.b.key });
      expect(res.status, query).toBe(200);
      const { data } = (await res.json()) as { data: Contact[] };
      expect(
        data.filter((c) => aIds.has(c.id) || c.organizationId !== w.b.organizationId),
        query,
      ).toEqual([]);
    }
    // The organization comes only from the key.
    const res = await api(`/api/contact?organizationId=${w.a.organizationId}`, { key: w.b.key });
    expect(res.status).toBe(400);
  },

  "POST /api/contact": async (w) => {
    const a = w.aContacts[0] as Contact;
    const smuggled = await api("/api/contact", {
      method: "POST",
      key: w.b.key,
      json: { ...REFERENCE_EXAMPLE, organizationId: w.a.organizationId },
    });
    expect(await errorOf(smuggled)).toEqual({ status: 400, code: "VALIDATION_FAILED", fields: ["organizationId"] });
    // A's phone is free in B, and A's typed definition of customer_age does not apply in B.
    const res = await api("/api/contact", {
      method: "POST",
      key: w.b.key,
      json: { primaryPhone: a.primaryPhone, customAttributes: { customer_age: "thirty" } },
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as Contact;
    expect(created.organizationId).toBe(w.b.organizationId);
    expect(eachOfAsIds(w)).not.toContain(created.id);
  },

  "POST /api/contact/upsert": async (w) => {
    const a = w.aContacts[1] as Contact;
    const res = await api("/api/contact/upsert", {
      method: "POST",
      key: w.b.key,
      json: { data: [{ primaryPhone: a.primaryPhone, firstName: "Mallory" }] },
    });
    expect(res.status).toBe(200);
    const { data, meta } = (await res.json()) as { data: Contact[]; meta: { created: number } };
    expect(meta.created).toBe(1);
    expect(data[0]?.organizationId).toBe(w.b.organizationId);
    expect(eachOfAsIds(w)).not.toContain(data[0]?.id);
  },

  "GET /api/contact/:id": async (w) => {
    for (const id of eachOfAsIds(w)) await expectNotFound(await api(`/api/contact/${id}`, { key: w.b.key }), id);
  },

  "PUT /api/contact/:id": async (w) => {
    for (const id of eachOfAsIds(w)) {
      const res = await api(`/api/contact/${id}`, { method: "PUT", key: w.b.key, json: { firstName: "Mallory" } });
      await expectNotFound(res, id);
    }
  },

  "PATCH /api/contact/:id": async (w) => {
    for (const id of eachOfAsIds(w)) {
      for (const json of [{ firstName: "Mallory" }, { primaryPhone: w.bContact.primaryPhone }]) {
        const res = await api(`/api/contact/${id}`, { method: "PATCH", key: w.b.key, json });
        await expectNotFound(res, id);
      }
    }
  },

  "DELETE /api/contact/:id": async (w) => {
    for (const id of eachOfAsIds(w)) {
      await expectNotFound(await api(`/api/contact/${id}`, { method: "DELETE", key: w.b.key }), id);
      await expectNotFound(await api(`/api/contact/${id}?erase=true`, { method: "DELETE", key: w.b.key }), id);
    }
  },

  "GET /api/contact/deleted": async (w) => {
    const res = await api("/api/contact/deleted?limit=1000", { key: w.b.key });
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: { id: string }[] };
    expect(data.filter((d) => eachOfAsIds(w).includes(d.id))).toEqual([]);
    // A's cursor is refused by B, whatever position it holds.
    const aCursor = (
      (await (await api("/api/contact/deleted?limit=1", { key: w.a.key })).json()) as {
        meta: { nextCursor: string | null };
      }
    ).meta.nextCursor;
    if (aCursor) expect((await api(`/api/contact/deleted?cursor=${aCursor}`, { key: w.b.key })).status).toBe(400);
  },

  "GET /api/custom-attributes": async (w) => {
    const res = await api("/api/custom-attributes", { key: w.b.key });
    expect(res.status).toBe(200);
    const ids = ((await res.json()) as Definition[]).map((d) => d.id);
    expect(ids.filter((id) => eachOfAsAttributeIds(w).includes(id))).toEqual([]);
  },

  "POST /api/custom-attributes": async (w) => {
    // A's live name is free in B: no 409, and no reference to A's definition.
    const created = await define(w.b.key, { displayName: w.aAttribute.displayName, type: "text" });
    expect(created).toMatchObject({ organizationId: w.b.organizationId, name: w.aAttribute.name, type: "text" });
    expect(eachOfAsAttributeIds(w)).not.toContain(created.id);
  },

  "GET /api/custom-attributes/:id": async (w) => {
    for (const id of eachOfAsAttributeIds(w)) {
      await expectNotFound(await api(`/api/custom-attributes/${id}`, { key: w.b.key }), id);
    }
  },

  "PUT /api/custom-attributes/:id": async (w) => {
    for (const id of eachOfAsAttributeIds(w)) {
      const res = await api(`/api/custom-attributes/${id}`, {
        method: "PUT",
        key: w.b.key,
        json: { description: "x" },
      });
      await expectNotFound(res, id);
    }
  },

  "PATCH /api/custom-attributes/:id": async (w) => {
    for (const id of eachOfAsAttributeIds(w)) {
      const res = await api(`/api/custom-attributes/${id}`, {
        method: "PATCH",
        key: w.b.key,
        json: { description: null },
      });
      await expectNotFound(res, id);
    }
  },

  "DELETE /api/custom-attributes/:id": async (w) => {
    for (const id of eachOfAsAttributeIds(w)) {
      await expectNotFound(await api(`/api/custom-attributes/${id}`, { method: "DELETE", key: w.b.key }), id);
    }
  },

  "GET /api/webhook-sources": async (w) => {
    const res = await api("/api/webhook-sources", { key: w.b.key });
    expect(res.status).toBe(200);
    const sources = (await res.json()) as { id: string; organizationId: string }[];
    expect(sources.map((source) => source.id)).toContain(w.bSource.id);
    expect(sources.filter((source) => source.organizationId !== w.b.organizationId)).toEqual([]);
  },

  "POST /api/webhook-sources": async (w) => {
    const res = await api("/api/webhook-sources", {
      method: "POST",
      key: w.b.key,
      json: { name: "Website", provider: "json" },
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as CreatedSource;
    expect(created.organizationId).toBe(w.b.organizationId);
    expect(eachOfAsSourceIds(w)).not.toContain(created.id);
  },

  "GET /api/webhook-sources/:id": async (w) => {
    for (const id of eachOfAsSourceIds(w)) {
      await expectNotFound(await api(`/api/webhook-sources/${id}`, { key: w.b.key }), id);
    }
  },

  "DELETE /api/webhook-sources/:id": async (w) => {
    for (const id of eachOfAsSourceIds(w)) {
      await expectNotFound(await api(`/api/webhook-sources/${id}`, { method: "DELETE", key: w.b.key }), id);
    }
  },

  "GET /api/webhook-sources/:id/deliveries": async (w) => {
    for (const id of eachOfAsSourceIds(w)) {
      await expectNotFound(await api(`/api/webhook-sources/${id}/deliveries`, { key: w.b.key }), id);
    }
  },

  "POST /api/keys": async (w) => {
    const before = await listApiKeys(env.API_KEYS, w.a.organizationId);
    const res = await api("/api/keys", {
      method: "POST",
      key: w.b.key,
      json: { name: "smuggled", role: "admin", organizationId: w.a.organizationId },
    });
    expect(await errorOf(res)).toEqual({ status: 400, code: "VALIDATION_FAILED", fields: ["organizationId"] });
    const made = await api("/api/keys", { method: "POST", key: w.b.key, json: { name: "b's", role: "agent" } });
    expect(made.status).toBe(201);
    const { key, organizationId } = (await made.json()) as { key: string; organizationId: string };
    expect(organizationId).toBe(w.b.organizationId);
    const me = (await (await api("/api/me", { key })).json()) as { organizationId: string };
    expect(me.organizationId).toBe(w.b.organizationId);
    expect(await listApiKeys(env.API_KEYS, w.a.organizationId)).toEqual(before);
  },

  "GET /api/keys": async (w) => {
    const res = await api("/api/keys", { key: w.b.key });
    expect(res.status).toBe(200);
    const ids = ((await res.json()) as { data: { keyId: string }[] }).data.map((k) => k.keyId);
    expect(ids).toContain(w.b.keyId);
    expect(ids).not.toContain(w.a.keyId);
    expect(ids).not.toContain(w.aAgent.keyId);
  },

  "DELETE /api/keys/:keyId": async (w) => {
    const before = await listApiKeys(env.API_KEYS, w.a.organizationId);
    for (const keyId of [w.a.keyId, w.aAgent.keyId]) {
      await expectNotFound(await api(`/api/keys/${keyId}`, { method: "DELETE", key: w.b.key }), keyId);
    }
    expect(await listApiKeys(env.API_KEYS, w.a.organizationId)).toEqual(before);
    clearApiKeyCache();
    for (const key of [w.a.key, w.aAgent.key]) expect((await api("/api/me", { key })).status).toBe(200);
  },

  "GET /api/webhook-endpoints": async (w) => {
    const res = await api("/api/webhook-endpoints", { key: w.b.key });
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: { id: string; organizationId: string }[] };
    expect(data.map((endpoint) => endpoint.id)).toContain(w.bEndpoint.id);
    expect(data.filter((endpoint) => endpoint.organizationId !== w.b.organizationId)).toEqual([]);
  },

  // B's key on A's import session: 404 everywhere, nothing started; B's own upload is B's.
  "POST /api/contact/ingestion/upload": async (w) => {
    const { sessionId } = await uploaded(w.b.key, `${(w.aContacts[0] as Contact).primaryPhone},Mallory\n`);
    const stored = await getDb(env.DB).select().from(importSessions).where(eq(importSessions.id, sessionId));
    expect(stored.map((s) => s.organizationId)).toEqual([w.b.organizationId]);
    await expectNotFound(await api(`/api/contact/ingestion/${sessionId}`, { key: w.a.key }), sessionId);
  },

  "POST /api/contact/ingestion/validate": async (w) => {
    await expectNotFound(await validate(w.b.key, w.aImportId, [{ column: 0, field: "primaryPhone" }]), w.aImportId);
  },

  "POST /api/contact/ingestion/execute": async (w) => {
    const { res, held } = await execute(w.b.key, w.aImportId);
    await expectNotFound(res, w.aImportId);
    expect(held.sent).toEqual([]);
  },

  "GET /api/contact/ingestion/:sessionId": async (w) => {
    await expectNotFound(await api(`/api/contact/ingestion/${w.aImportId}`, { key: w.b.key }), w.aImportId);
  },

  "GET /api/contact/ingestion/:sessionId/results": async (w) => {
    const path = `/api/contact/ingestion/${w.aImportId}/results?filter=all`;
    await expectNotFound(await api(path, { key: w.b.key }), path);
  },

  "GET /api/contact/ingestion/:sessionId/failed-rows.csv": async (w) => {
    const path = `/api/contact/ingestion/${w.aImportId}/failed-rows.csv`;
    await expectNotFound(await api(path, { key: w.b.key }), path);
  },

  "POST /api/webhook-endpoints": async (w) => {
    const created = await subscribe(w.b.key, { url: "http://127.0.0.1:9/b" });
    expect((created as unknown as { organizationId: string }).organizationId).toBe(w.b.organizationId);
    expect(eachOfAsEndpointIds(w)).not.toContain(created.id);
    await api(`/api/webhook-endpoints/${created.id}`, { method: "DELETE", key: w.b.key });
  },

  "GET /api/webhook-endpoints/:id": async (w) => {
    for (const id of eachOfAsEndpointIds(w)) {
      await expectNotFound(await api(`/api/webhook-endpoints/${id}`, { key: w.b.key }), id);
    }
  },

  "DELETE /api/webhook-endpoints/:id": async (w) => {
    for (const id of eachOfAsEndpointIds(w)) {
      await expectNotFound(await api(`/api/webhook-endpoints/${id}`, { method: "DELETE", key: w.b.key }), id);
    }
  },

  "GET /api/webhook-endpoints/:id/deliveries": async (w) => {
    for (const id of eachOfAsEndpointIds(w)) {
      await expectNotFound(await api(`/api/webhook-endpoints/${id}/deliveries`, { key: w.b.key }), id);
    }
  },

  // B's endpoint with A's event, and A's endpoint with A's event: both unknown to B.
  "POST /api/webhook-endpoints/:id/deliveries/:eventId/retry": async (w) => {
    const { queue, sent } = recordingQueue();
    for (const id of [w.bEndpoint.id, ...eachOfAsEndpointIds(w)]) {
      const path = `/api/webhook-endpoints/${id}/deliveries/${w.aEventId}/retry`;
      await expectNotFound(await apiRecorded(path, { method: "POST", key: w.b.key }, queue), path);
    }
    expect(sent).toEqual([]);
  },

  // No key here: the token alone names the organization. B's token carrying A's phone (and an
  // organizationId, and A's event id) files a contact in B and nowhere else.
  "POST /hooks/:token": async (w) => {
    const res = await deliver(
      w.bSource.path,
      JSON.stringify({ eventId: "a-event-1", phone: A_DELIVERED_PHONE, organizationId: w.a.organizationId }),
    );
    expect(res.status).toBe(200);
    const { contactId } = (await res.json()) as { contactId: string };
    expect(eachOfAsIds(w)).not.toContain(contactId);
    const filed = (await (await api(`/api/contact/${contactId}`, { key: w.b.key })).json()) as Contact;
    expect(filed.organizationId).toBe(w.b.organizationId);
    // A revoked token of A stays dead.
    expect((await deliver(w.aRevokedSource.path, JSON.stringify({ phone: A_DELIVERED_PHONE }))).status).toBe(404);
  },
};

/** Every method and path the app serves, from its own route table; `app.use` middleware excluded. */
function exposedRoutes(): string[] {
  const routes = new Set<string>();
  for (const { method, path } of createApp().routes) {
    if (method === "ALL" && path.endsWith("*")) continue;
    routes.add(`${method} ${path}`);
  }
  return [...routes];
}

const missingCase = (route: string) =>
  `No tenant-isolation case for "${route}". Add one to CASES in test/routes/isolation.test.ts: ` +
  "call the route with organization B's key against organization A's data and assert 404 (or that none of A's data shows).";

describe("tenant isolation: organization B's key against organization A's data, on every route", () => {
  const routes = exposedRoutes();
  let world: World;

  beforeAll(async () => {
    const a = await createTenant();
    const b = await createTenant();
    const aContacts = [
      await createContact(a.key, REFERENCE_EXAMPLE),
      await createContact(a.key, { firstName: "Joanna", primaryEmail: "joanna@a.test" }),
    ];
    const aDeleted = await createContact(a.key, { firstName: "Johnny" });
    expect((await api(`/api/contact/${aDeleted.id}`, { method: "DELETE", key: a.key })).status).toBe(200);
    const bContact = await createContact(b.key, { firstName: "Bea" });
    const aAttribute = await define(a.key, { displayName: "Customer Age", description: "Years", type: "number" });
    const aDeletedAttribute = await define(a.key, { displayName: "Old Field", type: "text" });
    const deleted = await api(`/api/custom-attributes/${aDeletedAttribute.id}`, { method: "DELETE", key: a.key });
    expect(deleted.status).toBe(200);
    const aSource = await createSource(a.key, { name: "Website", provider: "json" });
    const delivered = await deliver(aSource.path, JSON.stringify({ eventId: "a-event-1", phone: A_DELIVERED_PHONE }));
    expect(delivered.status).toBe(200);
    const aDeliveredId = ((await delivered.json()) as { contactId: string }).contactId;
    const aRevokedSource = await createSource(a.key, { name: "Old form", provider: "json" });
    const revoked = await api(`/api/webhook-sources/${aRevokedSource.id}`, { method: "DELETE", key: a.key });
    expect(revoked.status).toBe(200);
    const bSource = await createSource(b.key, { name: "B form", provider: "json" });
    const agent = await api("/api/keys", { method: "POST", key: a.key, json: { name: "A's agent", role: "agent" } });
    const { key, keyId } = (await agent.json()) as { key: string; keyId: string };
    const aAgent: Tenant = { organizationId: a.organizationId, key, keyId };
    // Receivers on this machine (nothing listens on port 9): no test may reach the network.
    const aEndpoint = await subscribe(a.key, { url: "http://127.0.0.1:9/a" });
    const aDisabledEndpoint = await subscribe(a.key, { url: "http://127.0.0.1:9/a-old" });
    expect((await api(`/api/webhook-endpoints/${aDisabledEndpoint.id}`, { method: "DELETE", key: a.key })).status).toBe(
      200,
    );
    const bEndpoint = await subscribe(b.key, { url: "http://127.0.0.1:9/b" });
    // An event in A's outbox, as A's next change would write it.
    const aEventId = uuidv7();
    await getDb(env.DB)
      .insert(events)
      .values({
        id: aEventId,
        organizationId: a.organizationId,
        type: "contact.updated",
        contactId: aContacts[0]?.id as string,
        payload: "{}",
        createdAt: new Date().toISOString(),
        dispatchedAt: new Date().toISOString(),
      });
    const { sessionId: aImportId } = await uploaded(a.key, "+33612345698,Ann\nnot-a-phone,Bob\n");
    expect((await validate(a.key, aImportId, [{ column: 0, field: "primaryPhone" }])).status).toBe(200);
    world = {
      aImportId,
      a,
      b,
      aContacts,
      aDeleted,
      aDeliveredId,
      bContact,
      aAttribute,
      aDeletedAttribute,
      aSource,
      aRevokedSource,
      bSource,
      aAgent,
      aEndpoint,
      aDisabledEndpoint,
      aEventId,
      bEndpoint,
    };
  });

  it("finds the routes of the app, including the per-contact ones", () => {
    expect(routes).toContain("GET /api/contact/:id");
    expect(routes).toContain("DELETE /api/contact/:id");
  });

  it("has a case for every route the app exposes", () => {
    const missing = routes.filter((route) => !(route in CASES));
    expect(missing, missing.map(missingCase).join("\n")).toEqual([]);
  });

  for (const route of routes) {
    it(`${route}`, async () => {
      const exercise = CASES[route];
      if (!exercise) throw new Error(missingCase(route));
      const before = await storedDataOf(world.a.organizationId);
      expect(before.contacts).toHaveLength(4);
      expect(before.customAttributes).toHaveLength(2);
      await exercise(world);
      expect(await storedDataOf(world.a.organizationId)).toEqual(before);
    });
  }
});
