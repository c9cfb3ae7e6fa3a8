import { and, eq, exists, getTableColumns, isNull, type SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "./client";
import { contacts } from "./schema";

export type ContactRow = typeof contacts.$inferSelect;

/**
 * The contact object of CONTRACT §4.2, in its field order: the one place a row becomes a response.
 */
export function toContact(row: ContactRow) {
  return {
    id: row.id,
    organizationId: row.organizationId,
    primaryPhone: row.primaryPhone,
    channels: JSON.parse(row.channels) as string[],
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    firstName: row.firstName,
    lastName: row.lastName,
    fullName: row.fullName,
    primaryEmail: row.primaryEmail,
    address: row.address,
    city: row.city,
    state: row.state,
    zip: row.zip,
    occupation: row.occupation,
    preferredChannel: row.preferredChannel,
    gender: row.gender,
    customAttributes: JSON.parse(row.customAttributes) as Record<string, unknown>,
  };
}
export type Contact = ReturnType<typeof toContact>;

/** Every column of a contact as a named placeholder: the insert's SQL is built once, bound per row. */
const ROW_PLACEHOLDERS = Object.fromEntries(
  Object.keys(getTableColumns(contacts)).map((key) => [key, sql.placeholder(key)]),
) as unknown as ContactRow;

// RETURNING rather than meta.changes: the search triggers add their own rows to that count.
const prepareInsert = (db: Db) =>
  db.insert(contacts).values(ROW_PLACEHOLDERS).onConflictDoNothing().returning({ id: contacts.id }).prepare();

// drizzle rebuilds and re-renders the whole INSERT on every call unless it is prepared; the
// prepared query is tied to its Db (one per D1 binding), so it is kept per Db, for the isolate's life.
const preparedInserts = new WeakMap<Db, ReturnType<typeof prepareInsert>>();

/**
 * Inserts unless a live contact of the organization already has the phone. The partial unique
 * index decides, inside SQLite, so two concurrent creates cannot both win. `alsoInBatch` runs
 * after the insert in the same atomic batch (an idempotency record guarded by {@link contactIdExists}).
 * @returns whether the row was written.
 */
export async function insertContactIfPhoneFree(
  db: Db,
  row: ContactRow,
  alsoInBatch: BatchItem<"sqlite">[] = [],
): Promise<boolean> {
  if (alsoInBatch.length === 0) {
    let insert = preparedInserts.get(db);
    if (!insert) {
      insert = prepareInsert(db);
      preparedInserts.set(db, insert);
    }
    return (await insert.execute(row)).length === 1;
  }
  // RETURNING rather than meta.changes: the search triggers add their own rows to that count.
  const insert = db.insert(contacts).values(row).onConflictDoNothing().returning({ id: contacts.id });
  const [written] = await db.batch([insert, ...alsoInBatch]);
  return written.length === 1;
}

/** An SQL condition: a contact row with this id exists (for a new UUIDv7: the insert took effect). */
export function contactIdExists(db: Db, id: string): SQL {
  return exists(db.select({ id: contacts.id }).from(contacts).where(eq(contacts.id, id)));
}

export async function findLiveIdByPhone(db: Db, organizationId: string, phone: string): Promise<string | undefined> {
  const row = await db
    .select({ id: contacts.id })
    .from(contacts)
    .where(
      and(eq(contacts.organizationId, organizationId), eq(contacts.primaryPhone, phone), isNull(contacts.deletedAt)),
    )
    .get();
  return row?.id;
}
