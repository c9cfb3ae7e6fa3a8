import { and, asc, count, desc, eq, exists, isNull, or, type SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type * as z from "zod";
import { CONTACT_TEXT_FIELD_NAMES, columnOf } from "../schemas/contact-fields";
import type { ContactListQuery, ContactSortField } from "../schemas/contact-query";
import type { contactSchema } from "../schemas/responses";
import type { Db } from "./client";
import { classifyD1Failure } from "./failures";
import { contacts } from "./schema";

export type ContactRow = typeof contacts.$inferSelect;

/** The contact object (docs/api.md#the-contact), in its field order: the one place a row becomes a response. */
export function toContact(row: ContactRow): Contact {
  const contact: Record<string, unknown> = {
    id: row.id,
    organizationId: row.organizationId,
    primaryPhone: row.primaryPhone,
    channels: JSON.parse(row.channels),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
  for (const field of CONTACT_TEXT_FIELD_NAMES) contact[field] = row[field];
  contact.gender = row.gender;
  contact.customAttributes = JSON.parse(row.customAttributes);
  return contact as Contact;
}
export type Contact = z.infer<typeof contactSchema>;

/**
 * {@link toContact} in SQL: the contact object of the `contacts` row aliased `alias`, as a JSON
 * object with the same members in the same order, built from the same field list. What an outbound
 * event carries is read this way, inside the write's own batch, so it is exactly what was stored.
 */
export function contactJsonSql(alias: string): SQL {
  const column = (name: string) => `${alias}."${name}"`;
  const members = [
    `'id', ${column("id")}`,
    `'organizationId', ${column("organization_id")}`,
    `'primaryPhone', ${column("primary_phone")}`,
    `'channels', json(${column("channels")})`,
    `'createdAt', ${column("created_at")}`,
    `'updatedAt', ${column("updated_at")}`,
    ...CONTACT_TEXT_FIELD_NAMES.map((field) => `'${field}', ${column(columnOf(field))}`),
    `'gender', ${column("gender")}`,
    `'customAttributes', json(${column("custom_attributes")})`,
  ];
  return sql.raw(`json_object(${members.join(", ")})`);
}

/** The ids a write returned: it runs alone, or first in one atomic batch with `alsoInBatch`. */
async function writtenIds(
  db: Db,
  write: BatchItem<"sqlite"> & PromiseLike<{ id: string }[]>,
  alsoInBatch: BatchItem<"sqlite">[],
): Promise<{ id: string }[]> {
  if (alsoInBatch.length === 0) return write;
  const [written] = await db.batch([write, ...alsoInBatch]);
  return written as { id: string }[];
}

/**
 * Inserts unless a live contact of the organization already has the phone. The partial unique
 * index decides, inside SQLite, so two concurrent creates cannot both win. `alsoInBatch` runs
 * after the insert in the same atomic batch (an idempotency record guarded by {@link contactIdExists},
 * a guard on the definitions validation used).
 * @returns whether the row was written.
 */
export async function insertContactIfPhoneFree(
  db: Db,
  row: ContactRow,
  alsoInBatch: BatchItem<"sqlite">[] = [],
): Promise<boolean> {
  // RETURNING rather than meta.changes: the search triggers add their own rows to that count.
  const insert = db.insert(contacts).values(row).onConflictDoNothing().returning({ id: contacts.id });
  return (await writtenIds(db, insert, alsoInBatch)).length === 1;
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

export async function findLiveContact(db: Db, organizationId: string, id: string): Promise<ContactRow | undefined> {
  return db
    .select()
    .from(contacts)
    .where(and(eq(contacts.id, id), eq(contacts.organizationId, organizationId), isNull(contacts.deletedAt)))
    .get();
}

/**
 * Writes `row` over the stored contact only if that is still live and still carries
 * `readUpdatedAt`: an update never overwrites a change it did not see. The partial unique
 * index, not a prior read, decides whether the phone is free.
 * @returns `"written"`, `"stale"` (changed or deleted since it was read) or `"phoneTaken"`.
 */
export async function writeContactIfUnchanged(
  db: Db,
  row: ContactRow,
  readUpdatedAt: string,
  alsoInBatch: BatchItem<"sqlite">[] = [],
): Promise<"written" | "stale" | "phoneTaken"> {
  const { id, organizationId, createdAt: _createdAt, deletedAt: _deletedAt, ...changes } = row;
  try {
    const update = db
      .update(contacts)
      .set(changes)
      .where(
        and(
          eq(contacts.id, id),
          eq(contacts.organizationId, organizationId),
          isNull(contacts.deletedAt),
          eq(contacts.updatedAt, readUpdatedAt),
        ),
      )
      .returning({ id: contacts.id });
    return (await writtenIds(db, update, alsoInBatch)).length === 1 ? "written" : "stale";
  } catch (err) {
    if (classifyD1Failure(err)?.kind === "unique") return "phoneTaken";
    throw err;
  }
}

/**
 * Soft delete: the row stays, with `deleted_at`; the partial unique index then frees its phone.
 * `alsoInBatch` runs after it in the same atomic batch (the outbox).
 * @returns whether a live contact was deleted.
 */
export async function softDeleteContact(
  db: Db,
  organizationId: string,
  id: string,
  at: string,
  alsoInBatch: BatchItem<"sqlite">[] = [],
): Promise<boolean> {
  const remove = db
    .update(contacts)
    .set({ deletedAt: at, updatedAt: at })
    .where(and(eq(contacts.id, id), eq(contacts.organizationId, organizationId), isNull(contacts.deletedAt)))
    .returning({ id: contacts.id });
  return (await writtenIds(db, remove, alsoInBatch)).length === 1;
}

const SORT_COLUMNS = {
  firstName: contacts.firstName,
  lastName: contacts.lastName,
  primaryPhone: contacts.primaryPhone,
  primaryEmail: contacts.primaryEmail,
  createdAt: contacts.createdAt,
} satisfies Record<ContactSortField, unknown>;

const SEARCHED_COLUMNS = [
  contacts.firstName,
  contacts.lastName,
  contacts.fullName,
  contacts.primaryPhone,
  contacts.primaryEmail,
];

/** The trigram index only knows substrings of 3+ characters (code points, not UTF-16 units). */
export const MIN_INDEXED_SEARCH = 3;

const isIndexedSearch = (term: string) => [...term].length >= MIN_INDEXED_SEARCH;

/**
 * A LIKE search reads every row of the organization. SQLite would reach them through one of the
 * (organization_id, deleted_at, …) indexes, which visit rows in random order (5× slower at
 * 100,000 contacts); creation order is nearly rowid order, so the table is read sequentially.
 */
const CONTACTS_IN_ROWID_ORDER = sql`${contacts} INDEXED BY contacts_org_created`;

/**
 * Case-insensitive substring search over names, phone and e-mail. 3+ characters go through
 * the FTS5 trigram index (migration 0001), as one quoted FTS5 string so that no character of
 * the term is FTS syntax; shorter terms, which trigrams cannot match, fall back to LIKE
 * (case-insensitive for ASCII only).
 *
 * @example searchCondition("doe") // contacts.rowid IN (SELECT rowid FROM contacts_search WHERE … MATCH '"doe"')
 */
export function searchCondition(term: string): SQL {
  if (isIndexedSearch(term)) {
    const phrase = `"${term.replaceAll('"', '""')}"`;
    return sql`${contacts}.rowid IN (SELECT rowid FROM contacts_search WHERE contacts_search MATCH ${phrase})`;
  }
  const pattern = `%${term.replace(/[\\%_]/g, "\\$&")}%`;
  return or(...SEARCHED_COLUMNS.map((column) => sql`${column} LIKE ${pattern} ESCAPE '\\'`)) as SQL;
}

/**
 * The page and the total of a list, as two statements over the same filter. Ties on the sort
 * column are broken by id in the same direction, so every contact has one place in the order
 * and pages never repeat or skip one; each order is an index scan (see the query-plan test).
 * NULLs sort as SQLite sorts them: first ascending, last descending.
 */
export function contactListQueries(db: Db, organizationId: string, query: ContactListQuery) {
  const where = and(
    eq(contacts.organizationId, organizationId),
    isNull(contacts.deletedAt),
    query.search ? searchCondition(query.search) : undefined,
  );
  const direction = query.sortOrder === "asc" ? asc : desc;
  return {
    page: db
      .select()
      .from(contacts)
      .where(where)
      .orderBy(direction(SORT_COLUMNS[query.sortBy]), direction(contacts.id))
      .limit(query.limit)
      .offset((query.page - 1) * query.limit),
    total: db
      .select({ total: count() })
      .from(query.search && !isIndexedSearch(query.search) ? CONTACTS_IN_ROWID_ORDER : contacts)
      .where(where),
  };
}

/** {@link contactListQueries} in one D1 batch: one round trip, and the total and the page see the same data. */
export async function listContactRows(
  db: Db,
  organizationId: string,
  query: ContactListQuery,
): Promise<{ rows: ContactRow[]; total: number }> {
  const { page, total } = contactListQueries(db, organizationId, query);
  const [rows, counted] = await db.batch([page, total]);
  return { rows, total: counted[0]?.total ?? 0 };
}
