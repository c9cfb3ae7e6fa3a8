import {
  and,
  asc,
  count,
  desc,
  eq,
  exists,
  getTableColumns,
  gt,
  inArray,
  isNotNull,
  isNull,
  lt,
  or,
  type SQL,
  sql,
} from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type * as z from "zod";
import type { Position } from "../lib/cursor";
import type { ContactUpdateInput } from "../schemas/contact";
import { ATTRIBUTE_LIMITS, CONTACT_TEXT_FIELD_NAMES, columnOf } from "../schemas/contact-fields";
import type { ContactListQuery, ContactSortField } from "../schemas/contact-query";
import type { contactSchema } from "../schemas/responses";
import type { Db } from "./client";
import { abortWith, classifyD1Failure, type Guard } from "./failures";
import { prebuilt } from "./prebuilt";
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
  // Built once per alias: every create, update and upsert puts it in its outbox statement.
  let built = contactJsonByAlias.get(alias);
  if (!built) {
    built = buildContactJsonSql(alias);
    contactJsonByAlias.set(alias, built);
  }
  return built;
}
const contactJsonByAlias = new Map<string, SQL>();

function buildContactJsonSql(alias: string): SQL {
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

/** The rows a write returned: it runs alone, or first in one atomic batch with `alsoInBatch`. */
async function writtenRows<T>(
  db: Db,
  write: BatchItem<"sqlite"> & PromiseLike<T[]>,
  alsoInBatch: BatchItem<"sqlite">[],
): Promise<T[]> {
  if (alsoInBatch.length === 0) return write;
  const [written] = await db.batch([write, ...alsoInBatch]);
  return written as T[];
}

// RETURNING rather than meta.changes: the search triggers add their own rows to that count.
const insertIfPhoneFree = prebuilt(Object.keys(getTableColumns(contacts)) as (keyof ContactRow)[], (db, slot) =>
  db
    .insert(contacts)
    .values(slot as ContactRow)
    .onConflictDoNothing()
    .returning({ id: contacts.id }),
);

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
  return (await writtenRows(db, insertIfPhoneFree(db, row), alsoInBatch)).length === 1;
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
 * `deriveFullName` (src/services/contact-input.ts) in SQL, over two name expressions. Names are
 * never empty strings (blank is stored as NULL), so NULL is the only absent name.
 */
const derivedFullName = (first: SQL, last: SQL) =>
  sql`rtrim(substr(coalesce(${first} || ' ' || ${last}, ${first}, ${last}), 1, 64), ' ')`;

/** The organization's live contacts whose phone is one of `phones` (E.164): one parameter, whatever their number. */
export const liveWithPhones = (organizationId: string, phones: string[]) =>
  and(
    eq(contacts.organizationId, organizationId),
    isNull(contacts.deletedAt),
    sql`${contacts.primaryPhone} IN (SELECT value FROM json_each(${JSON.stringify(phones)}))`,
  );

/** `laterThan` (src/services/contact-merge.ts) against the stored `updated_at`. */
const updatedAtAfter = (now: string) =>
  sql`CASE WHEN ${now} > ${contacts.updatedAt} THEN ${now} ELSE strftime('%Y-%m-%dT%H:%M:%fZ', ${contacts.updatedAt}, '+0.001 seconds') END`;

/** The columns a present field overwrites as it is (`fullName` has its own rule). */
const SCALAR_COLUMNS = ["primaryPhone", ...CONTACT_TEXT_FIELD_NAMES.filter((f) => f !== "fullName"), "gender"] as const;

const LIMIT_GUARDS = {
  "too-many-attributes": "tooManyAttributes",
  "attributes-too-large": "attributesTooLarge",
} as const satisfies Partial<Record<Guard, string>>;
export type AttributeLimitBroken = (typeof LIMIT_GUARDS)[keyof typeof LIMIT_GUARDS];

/**
 * For the batch of a write that merged attributes in SQL, after it: aborts the batch when the
 * merged attributes of the contact `where` selects break `ATTRIBUTE_LIMITS`, which hold for the
 * merged result as for the input (the first broken limit in `attributeLimitBroken`'s order).
 */
function abortIfAttributesOverLimits(db: Db, where: SQL) {
  const keys = sql`(SELECT count(*) FROM json_each(${contacts.customAttributes}))`;
  const bytes = sql`length(CAST(${contacts.customAttributes} AS BLOB))`;
  const id = sql`${contacts.id}`;
  return db
    .select({
      abort: sql`CASE WHEN ${keys} > ${ATTRIBUTE_LIMITS.keys} THEN ${abortWith("too-many-attributes", id)} ELSE ${abortWith("attributes-too-large", id)} END`,
    })
    .from(contacts)
    .where(and(where, sql`(${keys} > ${ATTRIBUTE_LIMITS.keys} OR ${bytes} > ${ATTRIBUTE_LIMITS.bytes})`));
}

/** Only a value (not a removal) can make the merged attributes break a limit. */
const addsAttributeValues = (patch: ContactUpdateInput) =>
  Object.values(patch.customAttributes ?? {}).some((value) => value !== null);

/** The field error code of a write aborted by {@link abortIfAttributesOverLimits}. */
export function attributeLimitOf(err: unknown): AttributeLimitBroken | undefined {
  const failure = classifyD1Failure(err);
  return failure?.kind === "guard" && failure.guard in LIMIT_GUARDS
    ? LIMIT_GUARDS[failure.guard as keyof typeof LIMIT_GUARDS]
    : undefined;
}

/**
 * `mergeContact` (src/services/contact-merge.ts, the one merge rule) as the SET clause of one
 * UPDATE, merged onto whatever the row holds when SQLite writes it: present fields overwrite,
 * `customAttributes` merge key by key through `json_patch` (RFC 7396: a `null` removes its key;
 * values are scalars or arrays, which it replaces whole, as `mergeContact` does), `fullName`
 * is derived again while it was derived, `updatedAt` always advances. test/db/contacts-update.test.ts
 * holds the two to the same results.
 */
export function mergeContactSql(patch: ContactUpdateInput, now: string) {
  const set: Record<string, unknown> = { updatedAt: updatedAtAfter(now) };
  for (const column of SCALAR_COLUMNS) if (patch[column] !== undefined) set[column] = patch[column];
  if (patch.channels !== undefined) set.channels = JSON.stringify(patch.channels ?? []);
  if (patch.customAttributes === null) set.customAttributes = "{}";
  else if (patch.customAttributes !== undefined) {
    set.customAttributes = sql`json_patch(${contacts.customAttributes}, ${JSON.stringify(patch.customAttributes)})`;
  }
  const name = (column: "firstName" | "lastName") =>
    patch[column] === undefined ? sql`${contacts[column]}` : sql`${patch[column]}`;
  const derived = derivedFullName(name("firstName"), name("lastName"));
  if (patch.fullName === null) set.fullName = derived;
  else if (patch.fullName !== undefined) set.fullName = patch.fullName;
  else {
    const wasDerived = sql`${contacts.fullName} IS NULL OR ${contacts.fullName} IS ${derivedFullName(sql`${contacts.firstName}`, sql`${contacts.lastName}`)}`;
    set.fullName = sql`CASE WHEN ${wasDerived} THEN ${derived} ELSE ${contacts.fullName} END`;
  }
  return set as Partial<Record<keyof ContactRow, unknown>>;
}

/**
 * Merges `patch` into the live contact in ONE statement ({@link mergeContactSql}): no read
 * before, so no window in which a concurrent update could be lost, and nothing to retry. The
 * partial unique index decides whether a new phone is free; the limits of the merged attributes
 * are checked in the same batch. `alsoInBatch` (guards) runs in that atomic batch too. With
 * `onlyAt` (`If-Match`), the row is written only if its `updatedAt` is one of those, in the same
 * statement: no window between the check and the write.
 * @returns the row as written, `"notFound"` (missing, deleted, another organization's, or not at `onlyAt`),
 * `"phoneTaken"`, or the code of the attribute limit the merge broke (nothing written).
 */
export async function mergeIntoContact(
  db: Db,
  organizationId: string,
  id: string,
  patch: ContactUpdateInput,
  now: string,
  alsoInBatch: BatchItem<"sqlite">[] = [],
  onlyAt?: string[],
): Promise<ContactRow | "notFound" | "phoneTaken" | AttributeLimitBroken> {
  const live = and(eq(contacts.id, id), eq(contacts.organizationId, organizationId), isNull(contacts.deletedAt));
  const limits = addsAttributeValues(patch) ? [abortIfAttributesOverLimits(db, live as SQL)] : [];
  try {
    const update = db
      .update(contacts)
      .set(mergeContactSql(patch, now) as Partial<ContactRow>)
      // The limits check after it reads the row as written, at its new updatedAt: without the condition.
      .where(and(live, atVersions(onlyAt)))
      .returning();
    const [row] = await writtenRows(db, update, [...limits, ...alsoInBatch]);
    return row ?? "notFound";
  } catch (err) {
    if (classifyD1Failure(err)?.kind === "unique") return "phoneTaken";
    const limit = attributeLimitOf(err);
    if (limit) return limit;
    throw err;
  }
}

/**
 * Inserts `row`, or, when a live contact of the organization already has its phone, merges
 * `patch` into that one ({@link mergeContactSql}) instead: one statement (`write`, which returns
 * the row as written), which the partial unique index decides inside SQLite, so concurrent
 * upserts of one phone are applied one after the other and none fails. `checks`, for the same
 * batch after it, abort it when the merged attributes break a limit ({@link attributeLimitOf}).
 */
export function upsertContactByPhone(db: Db, row: ContactRow, patch: ContactUpdateInput, now: string) {
  const write = db
    .insert(contacts)
    .values(row)
    .onConflictDoUpdate({
      target: [contacts.organizationId, contacts.primaryPhone],
      targetWhere: isNull(contacts.deletedAt),
      set: mergeContactSql(patch, now) as Partial<ContactRow>,
    })
    .returning();
  const holder = and(
    eq(contacts.organizationId, row.organizationId),
    eq(contacts.primaryPhone, row.primaryPhone),
    isNull(contacts.deletedAt),
  ) as SQL;
  return { write, checks: addsAttributeValues(patch) ? [abortIfAttributesOverLimits(db, holder)] : [] };
}

/** `If-Match` as a condition of a write: the row's `updatedAt` is one of `onlyAt` (none: no row). */
export const atVersions = (onlyAt: string[] | undefined) =>
  onlyAt === undefined ? undefined : onlyAt.length > 0 ? inArray(contacts.updatedAt, onlyAt) : sql`0`;

/**
 * Soft delete: the row stays, with `deleted_at`; the partial unique index then frees its phone.
 * With `onlyAt` (`If-Match`), only if its `updatedAt` is one of those. `alsoInBatch` runs after
 * it in the same atomic batch (the outbox).
 * @returns whether a live contact was deleted.
 */
export async function softDeleteContact(
  db: Db,
  organizationId: string,
  id: string,
  at: string,
  onlyAt?: string[],
  alsoInBatch: BatchItem<"sqlite">[] = [],
): Promise<boolean> {
  const remove = db
    .update(contacts)
    .set({ deletedAt: at, updatedAt: at })
    .where(
      and(
        eq(contacts.id, id),
        eq(contacts.organizationId, organizationId),
        isNull(contacts.deletedAt),
        atVersions(onlyAt),
      ),
    )
    .returning({ id: contacts.id });
  return (await writtenRows(db, remove, alsoInBatch)).length === 1;
}

const SORT_COLUMNS = {
  firstName: contacts.firstName,
  lastName: contacts.lastName,
  primaryPhone: contacts.primaryPhone,
  primaryEmail: contacts.primaryEmail,
  createdAt: contacts.createdAt,
  updatedAt: contacts.updatedAt,
} satisfies Record<ContactSortField, unknown>;

/** Whether a sort column may hold NULL: a cursor's position may then be NULL too. */
export const sortColumnIsNullable = (sortBy: ContactSortField) => !SORT_COLUMNS[sortBy].notNull;

/** The keyset position of a row in a listing sorted by `sortBy`: its sort value and its id. */
export const positionOf = (row: ContactRow, sortBy: ContactSortField): Position => ({ value: row[sortBy], id: row.id });

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
 * The total of a trigram search: the matches, each read by rowid. Left to itself SQLite walks the
 * organization's whole (organization_id, deleted_at, …) index and tests each entry against the
 * matches, which grows with the organization (130 ms at 1,000,000 contacts) rather than with the
 * matches. NOT INDEXED still allows rowid lookups.
 */
const CONTACTS_BY_SEARCH_MATCH = sql`${contacts} NOT INDEXED`;

/** What the total of a listing reads `contacts` through. */
const countedFrom = (search: string | undefined) =>
  !search ? contacts : isIndexedSearch(search) ? CONTACTS_BY_SEARCH_MATCH : CONTACTS_IN_ROWID_ORDER;

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
 * The sort key as ORDER BY names it. An exact lookup reads its few rows from the index of what it
 * looks up and sorts them: without statistics SQLite would rather walk the whole organization in
 * the sort column's index to spare that sort, which `+column` (the same value, but no index
 * column) takes away.
 */
const sortKey = (column: SQLiteColumn, query: ContactListSelection) =>
  query.primaryPhone || query.primaryEmail ? sql`+${column}` : column;

/** What a listing selects, once validated and resolved (the phone in E.164). */
export type ContactListSelection = Omit<ContactListQuery, "cursor">;

/**
 * The rows after `after` in the order (sort value, id), as index ranges to read one after the
 * other, each in that order. SQLite puts NULL first ascending and last descending, which a row
 * value comparison (`(c, id) > (?, ?)`, never true on a NULL) cannot cross: the NULL block and
 * the rest are separate ranges.
 */
function keysetRanges(column: SQLiteColumn, nullable: boolean, order: "asc" | "desc", after?: Position) {
  if (!after) return [undefined];
  const id = contacts.id;
  if (after.value === null) {
    const restOfNulls = and(isNull(column), order === "asc" ? gt(id, after.id) : lt(id, after.id));
    return order === "asc" ? [restOfNulls, isNotNull(column)] : [restOfNulls];
  }
  const beyond =
    order === "asc"
      ? sql`(${column}, ${id}) > (${after.value}, ${after.id})`
      : sql`(${column}, ${id}) < (${after.value}, ${after.id})`;
  return order === "desc" && nullable ? [beyond, isNull(column)] : [beyond];
}

/**
 * A listing as statements: `ranges`, the page as index ranges read in order (one, unless the page
 * crosses the NULLs of the sort column), and `total`, over the same filter. Ties on the sort
 * column are broken by id in the same direction, so every contact has one place in the order.
 * Without `after`, the page is `page` of `limit` (OFFSET: skipped inside the index); after a
 * cursor's position, `limit + 1` rows from each range (keyset: the same cost at any depth). Every
 * order is an index scan (see the query-plan test). NULLs sort first ascending, last descending.
 */
export function contactListQueries(db: Db, organizationId: string, query: ContactListSelection, after?: Position) {
  const column = SORT_COLUMNS[query.sortBy];
  // After a position, ascending by updatedAt: the position is past `updatedAfter` already, and a
  // second lower bound on the column could make SQLite seek to the wrong one.
  const impliedByPosition = after && query.sortBy === "updatedAt" && query.sortOrder === "asc";
  const where = and(
    eq(contacts.organizationId, organizationId),
    isNull(contacts.deletedAt),
    query.search ? searchCondition(query.search) : undefined,
    query.updatedAfter && !impliedByPosition ? gt(contacts.updatedAt, query.updatedAfter) : undefined,
    query.primaryPhone ? eq(contacts.primaryPhone, query.primaryPhone) : undefined,
    query.primaryEmail ? eq(contacts.primaryEmail, query.primaryEmail) : undefined,
  );
  const direction = query.sortOrder === "asc" ? asc : desc;
  const ranges = keysetRanges(column, !column.notNull, query.sortOrder, after).map((range) => {
    const select = db
      .select()
      .from(contacts)
      .where(and(where, range))
      .orderBy(direction(sortKey(column, query)), direction(sortKey(contacts.id, query)));
    return after
      ? select.limit(query.limit + 1).offset(0)
      : select.limit(query.limit).offset(((query.page ?? 1) - 1) * query.limit);
  });
  return {
    ranges,
    total: db.select({ total: count() }).from(countedFrom(query.search)).where(where),
  };
}

/**
 * {@link contactListQueries} read: a numbered page and the total in one D1 batch (one round trip,
 * both see the same data); after a position, up to `limit + 1` rows (the extra one tells whether
 * there is more) and no total, the second range read only when the first runs out.
 */
export async function listContactRows(
  db: Db,
  organizationId: string,
  query: ContactListSelection,
  after?: Position,
): Promise<{ rows: ContactRow[]; total?: number }> {
  const { ranges, total } = contactListQueries(db, organizationId, query, after);
  const [first, ...rest] = ranges as [(typeof ranges)[number], ...typeof ranges];
  if (!after) {
    const [rows, counted] = await db.batch([first, total]);
    return { rows, total: counted[0]?.total ?? 0 };
  }
  const rows = await first;
  for (const range of rest) {
    if (rows.length > query.limit) break;
    rows.push(...(await range));
  }
  return { rows: rows.slice(0, query.limit + 1) };
}

/**
 * The organization's soft-deleted contacts, oldest deletion first (ties by id), `limit + 1` of
 * them after `after` or, without it, after `deletedAfter`: one range of a partial index that holds
 * tombstones only.
 */
export function deletedContactsQuery(
  db: Db,
  organizationId: string,
  query: { deletedAfter?: string; limit: number },
  after?: Position,
) {
  return db
    .select({ id: contacts.id, deletedAt: contacts.deletedAt })
    .from(contacts)
    .where(
      and(
        eq(contacts.organizationId, organizationId),
        isNotNull(contacts.deletedAt),
        after
          ? sql`(${contacts.deletedAt}, ${contacts.id}) > (${after.value}, ${after.id})`
          : query.deletedAfter
            ? gt(contacts.deletedAt, query.deletedAfter)
            : undefined,
      ),
    )
    .orderBy(asc(contacts.deletedAt), asc(contacts.id))
    .limit(query.limit + 1);
}
