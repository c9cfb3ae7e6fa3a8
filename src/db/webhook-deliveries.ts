import { and, count, desc, eq, sql } from "drizzle-orm";
import type { FieldError } from "../lib/errors";
import type { Db } from "./client";
import { abortWith } from "./failures";
import { contacts, webhookDeliveries, webhookSources } from "./schema";

export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;

/**
 * Why a delivery was refused, stored as JSON in `reason`: the answer's code and message and the
 * field errors (paths, codes and messages that never hold a submitted value), so that a
 * redelivery can answer exactly as the first delivery did.
 */
export interface Rejection {
  code: "INVALID_JSON" | "UNPROCESSABLE_DELIVERY";
  message: string;
  fieldErrors: FieldError[];
}

export function rejectionOf(row: WebhookDeliveryRow): Rejection | null {
  return row.reason === null ? null : (JSON.parse(row.reason) as Rejection);
}

/** A delivery as the log shows it; the raw payload is only kept for rejected ones. */
export function toDelivery(row: WebhookDeliveryRow) {
  const rejection = rejectionOf(row);
  let fieldErrors: Record<string, string[]> | null = null;
  let fieldDetails: Record<string, { code: string }[]> | null = null;
  if (rejection && rejection.fieldErrors.length > 0) {
    fieldErrors = {};
    fieldDetails = {};
    for (const { path, code, message } of rejection.fieldErrors) {
      fieldErrors[path] = [...(fieldErrors[path] ?? []), message];
      fieldDetails[path] = [...(fieldDetails[path] ?? []), { code }];
    }
  }
  return {
    id: row.id,
    sourceId: row.sourceId,
    eventId: row.eventId,
    status: row.status,
    httpStatus: row.httpStatus,
    contactId: row.contactId,
    reason: rejection?.message ?? null,
    fieldErrors,
    fieldDetails,
    contentType: row.contentType,
    payload: row.payload,
    createdAt: row.createdAt,
  };
}

/** The log entry of one provider event of one source. */
const ofEvent = (organizationId: string, sourceId: string, eventId: string) =>
  and(
    eq(webhookDeliveries.organizationId, organizationId),
    eq(webhookDeliveries.sourceId, sourceId),
    eq(webhookDeliveries.eventId, eventId),
  );

export function findDeliveryByEvent(
  db: Db,
  organizationId: string,
  sourceId: string,
  eventId: string,
): Promise<WebhookDeliveryRow | undefined> {
  return db
    .select()
    .from(webhookDeliveries)
    .where(ofEvent(organizationId, sourceId, eventId))
    .get();
}

/** The insert of a delivery row, for a batch. */
export function insertDelivery(db: Db, row: WebhookDeliveryRow) {
  return db.insert(webhookDeliveries).values(row);
}

/**
 * The log entry of an accepted delivery, for the batch that upserts its contact (after it): its
 * contact is the live one that now holds `phone`, and it `created` that contact when that has
 * the id a new contact was given (`createdId`), else `updated` it.
 */
export function insertAcceptedDelivery(db: Db, row: WebhookDeliveryRow, phone: string, createdId: string) {
  const contactId = sql`(SELECT ${contacts.id} FROM ${contacts} WHERE ${contacts.organizationId} = ${row.organizationId} AND ${contacts.primaryPhone} = ${phone} AND ${contacts.deletedAt} IS NULL)`;
  return db.insert(webhookDeliveries).values({
    ...row,
    httpStatus: 200,
    contactId,
    status: sql`CASE WHEN ${contactId} = ${createdId} THEN 'created' ELSE 'updated' END`,
  });
}

/**
 * At most this many rejected deliveries of one source keep their raw payload (up to 256 KB
 * each): storing one more drops the payload of the oldest beyond it. Its log entry (status,
 * reason, field errors) stays; the source counts the drop in `droppedPayloads`.
 */
export const STORED_PAYLOADS_PER_SOURCE = 1_000;

/**
 * The ids of the source's stored payloads beyond its newest `cap`, read through the partial
 * index of stored payloads. (`LIMIT -1`: no limit, which drizzle's `.limit()` cannot say.)
 */
const payloadsBeyondCap = (sourceId: string, cap: number) =>
  sql`SELECT ${webhookDeliveries.id} FROM ${webhookDeliveries} WHERE ${webhookDeliveries.sourceId} = ${sourceId} AND ${webhookDeliveries.payload} IS NOT NULL ORDER BY ${webhookDeliveries.createdAt} DESC, ${webhookDeliveries.id} DESC LIMIT -1 OFFSET ${cap}`;

/**
 * The statements that enforce the cap on `sourceId`'s stored payloads: count those beyond it
 * into the source's `droppedPayloads`, then drop them. Exported for the query-plan test.
 */
export function payloadCapStatements(db: Db, sourceId: string, cap: number) {
  const beyond = payloadsBeyondCap(sourceId, cap);
  return [
    db
      .update(webhookSources)
      .set({ droppedPayloads: sql`${webhookSources.droppedPayloads} + (SELECT count(*) FROM (${beyond}))` })
      .where(eq(webhookSources.id, sourceId)),
    db.update(webhookDeliveries).set({ payload: null }).where(sql`${webhookDeliveries.id} IN (${beyond})`),
  ] as const;
}

/**
 * Logs a rejected delivery with its raw payload unless the event is already logged (the unique
 * index decides), and keeps the source within {@link STORED_PAYLOADS_PER_SOURCE} stored payloads,
 * all in one atomic batch: one round trip.
 * @returns whether the row was written.
 */
export async function insertRejectedDelivery(
  db: Db,
  row: WebhookDeliveryRow,
  cap = STORED_PAYLOADS_PER_SOURCE,
): Promise<boolean> {
  const [written] = await db.batch([
    db.insert(webhookDeliveries).values(row).onConflictDoNothing().returning({ id: webhookDeliveries.id }),
    ...payloadCapStatements(db, row.sourceId, cap),
  ]);
  return written.length === 1;
}

/**
 * A statement that fails, and so rolls back the batch it is part of, when the event is already
 * in the log: the loser of two concurrent deliveries of one event writes nothing. The failing
 * expression depends on the row found (a bad JSON path built from its id), so SQLite evaluates
 * it only when there is one. Its error is not a write conflict, so `upsertContacts` does not retry.
 */
export function abortIfEventLogged(db: Db, organizationId: string, sourceId: string, eventId: string) {
  return db
    .select({ abort: abortWith("event-logged", sql`${webhookDeliveries.id}`) })
    .from(webhookDeliveries)
    .where(ofEvent(organizationId, sourceId, eventId));
}

/** One page of a source's deliveries, newest first, and how many there are. */
export async function listDeliveries(
  db: Db,
  organizationId: string,
  sourceId: string,
  page: number,
  limit: number,
): Promise<{ rows: WebhookDeliveryRow[]; total: number }> {
  const where = and(eq(webhookDeliveries.organizationId, organizationId), eq(webhookDeliveries.sourceId, sourceId));
  const [rows, [totals]] = await db.batch([
    db
      .select()
      .from(webhookDeliveries)
      .where(where)
      .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
      .limit(limit)
      .offset((page - 1) * limit),
    db.select({ total: count() }).from(webhookDeliveries).where(where),
  ]);
  return { rows, total: totals?.total ?? 0 };
}
