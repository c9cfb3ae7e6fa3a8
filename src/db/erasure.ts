import { and, eq, notInArray, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "./client";
import { abortWith } from "./failures";
import { contacts, idempotencyKeys, webhookDeliveries } from "./schema";

/**
 * Every statement that removes the stored copies of a contact's personal data other than its
 * row: the one list of what erasure reaches (docs/api.md#erasure). A table that comes to hold
 * such a copy adds its statement here, and erasure covers it.
 *
 * - stored `Idempotency-Key` answers that hold the contact (a create's, an upsert's): the record
 *   goes whole, so a retry with that key runs again instead of replaying;
 * - the inbound delivery log entries linked to the contact, with their payloads.
 */
export function erasureStatements(db: Db, organizationId: string, contactId: string): BatchItem<"sqlite">[] {
  return [
    db
      .delete(idempotencyKeys)
      .where(
        and(eq(idempotencyKeys.organizationId, organizationId), sql`instr(${idempotencyKeys.body}, ${contactId}) > 0`),
      ),
    db
      .delete(webhookDeliveries)
      .where(and(eq(webhookDeliveries.organizationId, organizationId), eq(webhookDeliveries.contactId, contactId))),
  ];
}

/**
 * Erases a contact, live or soft-deleted, in one atomic batch: its row (the search index follows
 * through its trigger, with FTS5 `secure-delete` on, migration 0006) and {@link erasureStatements}.
 * With `onlyAt` (`If-Match`), a guard first aborts the whole batch unless the row's `updatedAt` is
 * one of those.
 * @returns whether the row existed. The copies are removed either way: a contact the retention
 * purge already removed may still be named in them.
 */
export async function eraseContactRow(db: Db, organizationId: string, id: string, onlyAt?: string[]): Promise<boolean> {
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
  const results = await db.batch([...guard, remove, ...erasureStatements(db, organizationId, id)] as [
    BatchItem<"sqlite">,
    ...BatchItem<"sqlite">[],
  ]);
  return (results[guard.length] as { id: string }[]).length === 1;
}
