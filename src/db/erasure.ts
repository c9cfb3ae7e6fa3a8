import { and, eq, inArray, ne, notInArray, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "./client";
import { abortWith } from "./failures";
import { contacts, eventAttempts, events, idempotencyKeys, webhookDeliveries } from "./schema";

/**
 * Every statement that removes the stored copies of a contact's personal data other than its
 * row: the one list of what erasure reaches (docs/api.md#erasure). A table that comes to hold
 * such a copy adds its statement here, and erasure covers it.
 *
 * - stored `Idempotency-Key` answers that hold the contact (a create's, an upsert's): the record
 *   goes whole, so a retry with that key runs again instead of replaying;
 * - the inbound delivery log entries linked to the contact, with their payloads;
 * - the outbound events about the contact (their bodies hold it) and their attempt logs, but for
 *   `contact.erased` (the id and the time only).
 */
export function erasureStatements(db: Db, organizationId: string, contactId: string): BatchItem<"sqlite">[] {
  // A `contact.erased` event holds no personal data: a later erasure (a 404) must not take it from its subscribers.
  const aboutContact = and(
    eq(events.organizationId, organizationId),
    eq(events.contactId, contactId),
    ne(events.type, "contact.erased"),
  );
  return [
    db
      .delete(idempotencyKeys)
      .where(
        and(eq(idempotencyKeys.organizationId, organizationId), sql`instr(${idempotencyKeys.body}, ${contactId}) > 0`),
      ),
    db
      .delete(webhookDeliveries)
      .where(and(eq(webhookDeliveries.organizationId, organizationId), eq(webhookDeliveries.contactId, contactId))),
    db
      .delete(eventAttempts)
      .where(inArray(eventAttempts.eventId, db.select({ id: events.id }).from(events).where(aboutContact))),
    db.delete(events).where(aboutContact),
  ];
}

/**
 * Erases a contact, live or soft-deleted, in one atomic batch: {@link erasureStatements}, then
 * `beforeDelete` (the `contact.erased` outbox statement, which reads the row so that it fires only
 * if the contact existed), then its row (the search index follows through its trigger, with FTS5
 * `secure-delete` on, migration 0006). With `onlyAt` (`If-Match`), a guard first aborts the whole
 * batch unless the row's `updatedAt` is one of those.
 * @returns whether the row existed. The copies are removed either way: a contact the retention
 * purge already removed may still be named in them.
 */
export async function eraseContactRow(
  db: Db,
  organizationId: string,
  id: string,
  onlyAt?: string[],
  beforeDelete: BatchItem<"sqlite">[] = [],
): Promise<boolean> {
  const row = and(eq(contacts.id, id), eq(contacts.organizationId, organizationId));
  const guard =
    onlyAt === undefined
      ? []
      : [
          db
            .select({ abort: abortWith("precondition-failed", sql`${contacts.id}`) })
            .from(contacts)
            .where(and(row, onlyAt.length > 0 ? notInArray(contacts.updatedAt, onlyAt) : undefined)),
        ];
  const remove = db.delete(contacts).where(row).returning({ id: contacts.id });
  // The guard runs first, on the row as it is; its abort undoes the whole batch.
  const statements = [...guard, ...erasureStatements(db, organizationId, id), ...beforeDelete, remove];
  const results = await db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  return (results[statements.length - 1] as { id: string }[]).length === 1;
}
