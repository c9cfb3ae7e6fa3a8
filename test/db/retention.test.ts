import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "../../src/db/client";
import {
  purgeDeletedContactsStatement,
  purgeDeliveriesStatement,
  purgeRetained,
  RETENTION_DEFAULTS,
  retentionOf,
} from "../../src/db/retention";
import { contacts, webhookDeliveries } from "../../src/db/schema";
import worker from "../../src/index";
import { uuidv7 } from "../../src/lib/ids";
import { insertContacts } from "../contact-fixtures";
import { createTenant } from "../helpers";
import { createSource } from "../webhook-helpers";

const db = getDb(env.DB);
const DAY = 24 * 3600_000;
const daysAgo = (now: number, days: number) => new Date(now - days * DAY).toISOString();

/** An organization with soft-deleted contacts and delivery log entries of the given ages, in days. */
async function seed(now: number, deletedAges: number[], deliveryAges: number[]) {
  const tenant = await createTenant();
  const rows = await insertContacts(
    tenant.organizationId,
    [...deletedAges, null].map(() => ({})),
  );
  for (const [i, age] of deletedAges.entries()) {
    await db
      .update(contacts)
      .set({ deletedAt: daysAgo(now, age) })
      .where(eq(contacts.id, (rows[i] as { id: string }).id));
  }
  const source = await createSource(tenant.key, { name: "form", provider: "json" });
  for (const age of deliveryAges) {
    await db.insert(webhookDeliveries).values({
      id: uuidv7(),
      organizationId: tenant.organizationId,
      sourceId: source.id,
      eventId: null,
      status: "rejected",
      httpStatus: 422,
      contactId: null,
      reason: null,
      payload: '{"phone":"+212612345678"}',
      contentType: "application/json",
      createdAt: daysAgo(now, age),
    });
  }
  const left = async () => ({
    contacts: (await db.select().from(contacts).where(eq(contacts.organizationId, tenant.organizationId))).length,
    deliveries: (
      await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.organizationId, tenant.organizationId))
    ).length,
  });
  return { tenant, left };
}

async function planOf(query: { toSQL(): { sql: string; params: unknown[] } }): Promise<string[]> {
  const { sql, params } = query.toSQL();
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .bind(...params)
    .all<{ detail: string }>();
  return results.map((r) => r.detail);
}

describe("retention", () => {
  it("hard-deletes soft-deleted contacts and delivery entries past their days, in bounded batches, run after run", async () => {
    const now = Date.now();
    const { left } = await seed(now, [31, 40, 45, 29], [31, 31, 60, 1]);
    // One live contact, 4 deleted (one too recent); 4 entries (one too recent).
    expect(await left()).toEqual({ contacts: 5, deliveries: 4 });
    const small = { chunk: 2, maxChunks: 1 };
    expect(await purgeRetained(db, now, RETENTION_DEFAULTS, small)).toEqual({ contacts: 2, deliveries: 2, more: true });
    expect(await left()).toEqual({ contacts: 3, deliveries: 2 });
    expect(await purgeRetained(db, now, RETENTION_DEFAULTS, small)).toEqual({
      contacts: 1,
      deliveries: 1,
      more: false,
    });
    expect(await left()).toEqual({ contacts: 2, deliveries: 1 });
    expect(await purgeRetained(db, now, RETENTION_DEFAULTS, small)).toEqual({
      contacts: 0,
      deliveries: 0,
      more: false,
    });
    // Two days later, the contact deleted 29 days ago is past 30 days; the live one stays.
    expect(await purgeRetained(db, now + 2 * DAY, RETENTION_DEFAULTS, small)).toMatchObject({ contacts: 1 });
    expect(await left()).toEqual({ contacts: 1, deliveries: 1 });
  });

  it("runs from the cron trigger with the days of wrangler.toml", async () => {
    const now = Date.now();
    const { left } = await seed(now, [5, 10], [5]);
    const controller = createScheduledController({ scheduledTime: now, cron: "17 * * * *" });
    await worker.scheduled(controller, env);
    expect(await left()).toEqual({ contacts: 3, deliveries: 1 });
    await worker.scheduled(createScheduledController({ scheduledTime: now + 26 * DAY, cron: "17 * * * *" }), env);
    expect(await left()).toEqual({ contacts: 1, deliveries: 0 });
  });

  it("reads its days from the configuration, and refuses a value that is not whole days", () => {
    expect(retentionOf({})).toEqual(RETENTION_DEFAULTS);
    expect(retentionOf({ RETENTION_DELETED_DAYS: "7", RETENTION_DELIVERIES_DAYS: "90" })).toEqual({
      deletedDays: 7,
      deliveriesDays: 90,
    });
    for (const bad of ["0", "-1", "1.5", "thirty", " 30"]) {
      expect(() => retentionOf({ RETENTION_DELETED_DAYS: bad }), bad).toThrow(/RETENTION_DELETED_DAYS/);
    }
  });

  it("finds what is due through an index, oldest first, however long the tables", async () => {
    const cutoff = new Date().toISOString();
    expect(await planOf(purgeDeletedContactsStatement(db, cutoff, 500))).toContainEqual(
      "SEARCH contacts USING COVERING INDEX contacts_deleted (deleted_at<?)",
    );
    expect(await planOf(purgeDeliveriesStatement(db, cutoff, 500))).toContainEqual(
      "SEARCH webhook_deliveries USING COVERING INDEX webhook_deliveries_created (created_at<?)",
    );
  });
});
