import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getDb } from "../../src/db/client";
import { abortIfEventLogged, insertDelivery, type WebhookDeliveryRow } from "../../src/db/webhook-deliveries";
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
