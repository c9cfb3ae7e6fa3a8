import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getDb } from "../../src/db/client";
import {
  abortIfEventLogged,
  insertDelivery,
  insertRejectedDelivery,
  payloadCapStatements,
  type WebhookDeliveryRow,
} from "../../src/db/webhook-deliveries";
import { uuidv7 } from "../../src/lib/ids";
import { upsertContacts } from "../../src/services/upsert";
import { createTenant } from "../helpers";
import { createSource } from "../webhook-helpers";

const delivery = (organizationId: string, sourceId: string, eventId: string): WebhookDeliveryRow => ({
  id: uuidv7(),
  organizationId,
  sourceId,
  eventId,
  status: "created",
  httpStatus: 200,
  contactId: null,
  reason: null,
  payload: null,
  contentType: "application/json",
  createdAt: new Date().toISOString(),
});

const contactCount = async (organizationId: string) =>
  (
    await env.DB.prepare("SELECT count(*) AS n FROM contacts WHERE organization_id = ?").bind(organizationId).first<{
      n: number;
    }>()
  )?.n;

describe("abortIfEventLogged", () => {
  it("rolls back the whole upsert batch, contact included, once the event is in the log", async () => {
    const db = getDb(env.DB);
    const t = await createTenant();
    const source = await createSource(t.key, { name: "s", provider: "json" });
    await insertDelivery(db, delivery(t.organizationId, source.id, "evt-1"));

    const finalize = (eventId: string) => () => [
      abortIfEventLogged(db, t.organizationId, source.id, eventId),
      insertDelivery(db, delivery(t.organizationId, source.id, eventId)),
    ];
    await expect(
      upsertContacts(db, t.organizationId, [{ primaryPhone: "+212612345610" }], finalize("evt-1")),
    ).rejects.toThrow();
    expect(await contactCount(t.organizationId)).toBe(0);

    // Another event of the same source, or the same event id at another source, goes through.
    await upsertContacts(db, t.organizationId, [{ primaryPhone: "+212612345610" }], finalize("evt-2"));
    expect(await contactCount(t.organizationId)).toBe(1);
    const other = await createSource(t.key, { name: "other", provider: "json" });
    await expect(
      upsertContacts(db, t.organizationId, [{ primaryPhone: "+212612345611" }], () => [
        abortIfEventLogged(db, t.organizationId, other.id, "evt-1"),
      ]),
    ).resolves.toMatchObject({ outcomes: ["created"] });
  });
});

const rejected = (
  organizationId: string,
  sourceId: string,
  n: number,
  eventId: string | null = null,
): WebhookDeliveryRow => ({
  ...delivery(organizationId, sourceId, eventId as string),
  eventId,
  status: "rejected",
  httpStatus: 422,
  reason: JSON.stringify({ code: "UNPROCESSABLE_DELIVERY", message: "no phone", fieldErrors: [] }),
  payload: `{"n":${n}}`,
  // Distinct, increasing times: the cap keeps the newest.
  createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
});

/** Each delivery of the source, oldest first: its payload, or null once dropped. */
async function payloadsOf(sourceId: string) {
  const { results } = await env.DB.prepare(
    "SELECT payload FROM webhook_deliveries WHERE source_id = ? ORDER BY created_at, id",
  )
    .bind(sourceId)
    .all<{ payload: string | null }>();
  return results.map((r) => r.payload);
}

async function droppedPayloadsOf(sourceId: string) {
  return (
    await env.DB.prepare("SELECT dropped_payloads AS n FROM webhook_sources WHERE id = ?").bind(sourceId).first<{
      n: number;
    }>()
  )?.n;
}

describe("insertRejectedDelivery", () => {
  it("keeps the payloads of the source's newest `cap` rejected deliveries, drops older ones' and counts them", async () => {
    const db = getDb(env.DB);
    const t = await createTenant();
    const [a, b] = [
      await createSource(t.key, { name: "a", provider: "json" }),
      await createSource(t.key, { name: "b", provider: "json" }),
    ];
    await insertDelivery(db, {
      ...delivery(t.organizationId, a.id, "accepted"),
      createdAt: "2026-01-01T00:00:00.500Z",
    });
    for (let n = 1; n <= 3; n++)
      expect(await insertRejectedDelivery(db, rejected(t.organizationId, a.id, n), 3)).toBe(true);
    await insertRejectedDelivery(db, rejected(t.organizationId, b.id, 1), 3);
    expect(await payloadsOf(a.id)).toEqual([null, '{"n":1}', '{"n":2}', '{"n":3}']);
    expect(await droppedPayloadsOf(a.id)).toBe(0);

    for (let n = 4; n <= 5; n++) await insertRejectedDelivery(db, rejected(t.organizationId, a.id, n), 3);
    // The log keeps every entry; only the two oldest payloads went, and the accepted delivery had none to lose.
    expect(await payloadsOf(a.id)).toEqual([null, null, null, '{"n":3}', '{"n":4}', '{"n":5}']);
    expect(await droppedPayloadsOf(a.id)).toBe(2);
    expect(await payloadsOf(b.id)).toEqual(['{"n":1}']);
    expect(await droppedPayloadsOf(b.id)).toBe(0);
  });

  it("drops nothing when the event is already logged and nothing is written", async () => {
    const db = getDb(env.DB);
    const t = await createTenant();
    const source = await createSource(t.key, { name: "s", provider: "json" });
    expect(await insertRejectedDelivery(db, rejected(t.organizationId, source.id, 1, "evt"), 1)).toBe(true);
    expect(await insertRejectedDelivery(db, rejected(t.organizationId, source.id, 2, "evt"), 1)).toBe(false);
    expect(await payloadsOf(source.id)).toEqual(['{"n":1}']);
    expect(await droppedPayloadsOf(source.id)).toBe(0);
  });

  it("reaches the payloads beyond the cap through the index of stored payloads only, however long the log", async () => {
    const [count, drop] = payloadCapStatements(getDb(env.DB), "any-source", 1_000);
    for (const statement of [count, drop]) {
      const { sql, params } = statement.toSQL();
      const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .bind(...params)
        .all<{ detail: string }>();
      expect(results.map((r) => r.detail)).toContain(
        "SEARCH webhook_deliveries USING INDEX webhook_deliveries_stored_payloads (source_id=?)",
      );
    }
  });
});
