import { and, eq, isNull, lt, type SQL, sql } from "drizzle-orm";
import type { EventType } from "../schemas/webhook-endpoint";
import type { Db } from "./client";
import { contactJsonSql } from "./contacts";
import { prebuilt } from "./prebuilt";
import { contacts, eventAttempts, events, webhookEndpoints } from "./schema";

export type EventRow = typeof events.$inferSelect;

/** One event to write: its id (chosen by the caller, so it can be sent to the queue) and its contact. */
export interface OutboxEntry {
  eventId: string;
  contactId: string;
}

/** An SQL condition: the organization has an enabled endpoint subscribed to `type` (a value or an SQL expression). */
function subscribed(organizationId: string, type: EventType | SQL) {
  return sql`EXISTS (SELECT 1 FROM ${webhookEndpoints} AS w, json_each(w."events") AS t
    WHERE w."organization_id" = ${organizationId} AND w."disabled_at" IS NULL AND t.value = ${type})`;
}

/**
 * When the write a `contact.created` / `contact.updated` / `contact.deleted` event tells of took
 * effect: exactly at a time the caller chose, or, for a write whose `updatedAt` SQLite chooses
 * (a PATCH merged in SQL: `now`, or just after the stored one), at or after `since`, by the
 * statement just before the outbox statement in the batch.
 */
export type WrittenAt = string | { since: string };

/**
 * The outbox statement for a write's batch: one `events` row per entry, placed after the write so
 * that it reads the contact as the write left it. Rows are written only when the organization has an
 * enabled endpoint subscribed to `type`, decided inside the batch, so an organization without one
 * pays one index probe and no row, and an endpoint created by any request in any isolate takes effect
 * at once. All entries travel as one JSON parameter (`json_each`).
 *
 * - `contact.created` / `contact.updated`: data is the contact object ({@link contactJsonSql});
 *   with `at`, only live contacts written at `at` (the write took effect) get an event.
 * - `contact.deleted`: data is `{ id, deletedAt }`; with `at`, only contacts deleted at `at`.
 * - `contact.erased`: data is `{ id, deletedAt: at }`, no personal data; placed before the row's
 *   delete, it is written only for a contact that exists: `at` (a time) is required.
 */
export function outboxStatement(
  db: Db,
  organizationId: string,
  type: EventType,
  entries: OutboxEntry[],
  at?: WrittenAt,
) {
  const json = JSON.stringify(entries.map(({ eventId, contactId }) => ({ e: eventId, c: contactId })));
  const kind: AtKind = at === undefined ? "any" : typeof at === "string" ? "exact" : "since";
  if (type === "contact.erased" && kind !== "exact") throw new Error("contact.erased needs the time of the erasure");
  const key = `${type} ${kind}`;
  let statement = outboxStatements.get(key);
  if (!statement) {
    statement = prebuilt(kind === "any" ? ["json", "organizationId"] : ["json", "organizationId", "at"], (db, slot) =>
      buildOutboxStatement(db, type, kind, slot),
    );
    outboxStatements.set(key, statement);
  }
  return statement(db, { json, organizationId, at: typeof at === "object" ? at.since : at });
}

/** How {@link outboxStatement} checks that its write took effect: not at all, at `at` exactly, or at or after it. */
type AtKind = "any" | "exact" | "since";
/** Built once per event type and {@link AtKind}: the outbox statement is in every write's batch. */
const outboxStatements = new Map<string, ReturnType<typeof prebuilt<"json" | "organizationId" | "at">>>();

function buildOutboxStatement(
  db: Db,
  type: EventType,
  kind: AtKind,
  slot: Record<"json" | "organizationId" | "at", string>,
) {
  const { json, organizationId, at } = slot;
  // The columns of `events` in table order: id, organization_id, type, contact_id, payload, created_at, dispatched_at.
  if (type === "contact.erased") {
    return db.insert(events).select(sql`SELECT p.value ->> '$.e', c."organization_id", ${type}, c."id",
      json_object('type', ${type}, 'timestamp', ${at}, 'data', json_object('id', c."id", 'deletedAt', ${at})),
      ${at}, NULL
      FROM json_each(${json}) AS p JOIN ${contacts} AS c ON c."id" = p.value ->> '$.c'
      WHERE c."organization_id" = ${organizationId} AND ${subscribed(organizationId, type)}`);
  }
  const deleted = type === "contact.deleted";
  const time = sql.raw(deleted ? `c."deleted_at"` : `c."updated_at"`);
  const data = deleted ? sql`json_object('id', c."id", 'deletedAt', c."deleted_at")` : contactJsonSql("c");
  // `since` (a PATCH merged in SQL) also needs the write just before this statement to have
  // changed a row (`changes()`): a PATCH refused by its If-Match must not tell of a concurrent write
  // that happened to land after `since`.
  const tookEffect =
    kind === "any"
      ? sql``
      : kind === "exact"
        ? sql` AND ${time} = ${at}`
        : sql` AND ${time} >= ${at} AND changes() > 0`;
  const live = deleted ? sql`` : sql` AND c."deleted_at" IS NULL`;
  return db.insert(events).select(sql`SELECT p.value ->> '$.e', c."organization_id", ${type}, c."id",
    json_object('type', ${type}, 'timestamp', ${time}, 'data', ${data}), ${time}, NULL
    FROM json_each(${json}) AS p JOIN ${contacts} AS c ON c."id" = p.value ->> '$.c'
    WHERE c."organization_id" = ${organizationId}${live}${tookEffect} AND ${subscribed(organizationId, type)}`);
}

/**
 * The outbox statement of an upsert by phone (`upsertContactByPhone`, src/db/contacts.ts), whose contact id is
 * not known before its batch: the live contact holding `phone`, written at or after `since`, gets
 * `contact.created` when the write inserted it (its `createdAt` is its `updatedAt`: a merge always
 * advances `updatedAt` past `createdAt`), else `contact.updated`.
 */
export function outboxStatementByPhone(db: Db, organizationId: string, eventId: string, phone: string, since: string) {
  const type = sql`(CASE WHEN c."created_at" = c."updated_at" THEN 'contact.created' ELSE 'contact.updated' END)`;
  return db.insert(events).select(sql`SELECT ${eventId}, c."organization_id", ${type}, c."id",
    json_object('type', ${type}, 'timestamp', c."updated_at", 'data', ${contactJsonSql("c")}), c."updated_at", NULL
    FROM ${contacts} AS c
    WHERE c."organization_id" = ${organizationId} AND c."primary_phone" = ${phone} AND c."deleted_at" IS NULL
      AND c."updated_at" >= ${since} AND ${subscribed(organizationId, type)}`);
}

export function findEvent(db: Db, id: string): Promise<EventRow | undefined> {
  return db.select().from(events).where(eq(events.id, id)).get();
}

export function findOrganizationEvent(db: Db, organizationId: string, id: string): Promise<EventRow | undefined> {
  return db
    .select()
    .from(events)
    .where(and(eq(events.organizationId, organizationId), eq(events.id, id)))
    .get();
}

/** The event was fanned out to its endpoints. */
export async function markDispatched(db: Db, id: string, at: string): Promise<void> {
  await db
    .update(events)
    .set({ dispatchedAt: at })
    .where(and(eq(events.id, id), isNull(events.dispatchedAt)));
}

/** Events written before `before` that were never fanned out: their send to the queue was lost. Oldest first. */
export async function undispatchedEventIds(db: Db, before: string, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: events.id })
    .from(events)
    .where(and(isNull(events.dispatchedAt), lt(events.createdAt, before)))
    .orderBy(events.createdAt)
    .limit(limit);
  return rows.map((r) => r.id);
}

/** How long delivered events and their attempt logs are kept: far beyond the ~28 h retry window. */
export const EVENT_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Deletes the attempt log entries older than {@link EVENT_RETENTION_MS}, and the events fanned out
 * before then, `chunk` rows per statement (no trigger touches these tables, so `changes` counts them).
 * @returns how many rows were deleted.
 */
export async function purgeOldEvents(db: Db, now = Date.now(), chunk = 5_000, maxChunks = 20): Promise<number> {
  const cutoff = new Date(now - EVENT_RETENTION_MS).toISOString();
  let deleted = 0;
  for (const [table, column] of [
    [eventAttempts, eventAttempts.createdAt],
    [events, events.dispatchedAt],
  ] as const) {
    for (let i = 0; i < maxChunks; i++) {
      const { meta } = await db
        .delete(table)
        .where(sql`rowid IN (SELECT rowid FROM ${table} WHERE ${column} < ${cutoff} LIMIT ${chunk})`)
        .run();
      deleted += meta.changes;
      if (meta.changes < chunk) break;
    }
  }
  return deleted;
}
