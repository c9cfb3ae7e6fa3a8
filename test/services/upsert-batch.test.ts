import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { getDb } from "../../src/db/client";
import { createOutbox } from "../../src/services/events/outbox";
import { upsertContacts } from "../../src/services/upsert";
import { countingD1 } from "../counting-d1";
import { outboxOf, subscribe } from "../event-helpers";
import { createTenant } from "../helpers";

// The merge of an upsert (also what the file import executes, batch by batch): however many items,
// one read of the matched contacts and one atomic batch of a few set-based statements, the outbox
// rows included, never a statement per item.
it("upserts 1000 items, new, existing and repeated phones, in one read and one batch of a few statements", async () => {
  const tenant = await createTenant();
  await subscribe(tenant.key, { url: "https://example.com/hook" });
  const phone = (i: number) => `+3365${String(1_000_000 + i).slice(-7)}`;
  const db = getDb(env.DB);
  await upsertContacts(
    db,
    tenant.organizationId,
    Array.from({ length: 500 }, (_, i) => ({ primaryPhone: phone(i), firstName: `F${i}`, customAttributes: { a: i } })),
  );

  const counter = countingD1(env.DB);
  const counted = getDb(counter.db);
  // 0–499 exist, 500–899 are new, and 100 of each kind come a second time later in the batch.
  const items = [
    ...Array.from({ length: 900 }, (_, i) => ({ primaryPhone: phone(i), city: "Oran", customAttributes: { b: i } })),
    ...Array.from({ length: 100 }, (_, i) => ({ primaryPhone: phone(i * 9), lastName: "Twice" })),
  ];
  const result = await upsertContacts(
    counted,
    tenant.organizationId,
    items,
    undefined,
    [],
    undefined,
    createOutbox(counted).emitter(tenant.organizationId),
  );
  expect(counter.roundTrips()).toBe(2);
  expect(counter.statements.length).toBeLessThanOrEqual(6);
  expect(result.meta).toEqual({ created: 400, updated: 600, total: 1000 });
  expect(result.data[0]).toMatchObject({
    firstName: "F0",
    lastName: "Twice",
    city: "Oran",
    customAttributes: { a: 0, b: 0 },
  });
  expect(result.data[899]).toMatchObject({ firstName: null, city: "Oran", customAttributes: { b: 899 } });
  // The second mention of a new phone updates the contact the first one created, in the same batch.
  expect(result.data[999]).toMatchObject({ id: result.data[891]?.id, lastName: "Twice", city: "Oran" });

  const events = await outboxOf(tenant.organizationId);
  const created = events.filter((e) => e.type === "contact.created");
  const updated = events.filter((e) => e.type === "contact.updated");
  expect(created).toHaveLength(400);
  expect(updated).toHaveLength(500);
  const last = updated.find((e) => e.contactId === result.data[0]?.id);
  expect(last?.body.data).toEqual(result.data[0]);
});
