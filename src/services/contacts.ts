import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../db/client";
import {
  type ContactRow,
  contactIdExists,
  deletedContactsQuery,
  findLiveContact,
  findLiveIdByPhone,
  insertContactIfPhoneFree,
  listContactRows,
  mergeIntoContact,
  positionOf,
  softDeleteContact,
  sortColumnIsNullable,
  toContact,
} from "../db/contacts";
import { eraseContactRow } from "../db/erasure";
import { classifyD1Failure } from "../db/failures";
import { type Finalize, noFinalize } from "../db/idempotency";
import { bindingOf, decodeCursor, encodeCursor, type Position } from "../lib/cursor";
import { ApiError, notFound, serviceUnavailable, validationError } from "../lib/errors";
import { type IfMatch, updatedAtsMatching } from "../lib/etag";
import { uuidv7 } from "../lib/ids";
import { fieldError } from "../lib/validation";
import type { ContactCreateInput, ContactUpdateInput } from "../schemas/contact";
import { CONTACT_TEXT_FIELD_NAMES } from "../schemas/contact-fields";
import type { ContactListQuery, DeletedContactsQuery } from "../schemas/contact-query";
import { pageMetaOf } from "../schemas/responses";
import { deriveFullName, resolveInput } from "./contact-input";
import { type Emit, noEvents } from "./events/outbox";
import { withOrgContext } from "./org-context";

export function contactExists(existingId: string): ApiError {
  return new ApiError("CONTACT_EXISTS", { extra: { existingId } });
}

/**
 * A new row from a validated, resolved create input.
 *
 * @param at `now` as ISO 8601, when the caller has it already (an upsert makes 1000 rows of one time).
 */
export function newContactRow(
  organizationId: string,
  input: ContactCreateInput,
  now = new Date(),
  at = now.toISOString(),
): ContactRow {
  const row = {
    id: uuidv7(now.getTime()),
    organizationId,
    primaryPhone: input.primaryPhone,
    channels: JSON.stringify(input.channels ?? []),
    createdAt: at,
    updatedAt: at,
    gender: input.gender ?? null,
    customAttributes: JSON.stringify(input.customAttributes ?? {}),
    deletedAt: null,
  } as ContactRow;
  for (const field of CONTACT_TEXT_FIELD_NAMES) row[field] = input[field] ?? null;
  row.fullName ??= deriveFullName(input.firstName, input.lastName);
  return row;
}

/**
 * One D1 write; a second read only when the phone is taken, to name the existing contact.
 * `finalize` stores the 201 in the insert's batch, only if the row was inserted; `guards`
 * (see `withOrgContext`) abort that batch when what validation relied on changed; `emit` adds
 * `contact.created` to the outbox in that batch (read from the inserted row: none when it was not).
 */
export async function createContact(
  db: Db,
  organizationId: string,
  input: ContactCreateInput,
  finalize: Finalize = noFinalize,
  guards: BatchItem<"sqlite">[] = [],
  emit: Emit = noEvents,
) {
  const row = newContactRow(organizationId, input);
  const contact = toContact(row);
  const alsoInBatch = [
    ...guards,
    ...finalize(201, contact, () => contactIdExists(db, row.id)),
    ...emit("contact.created", [row.id], row.updatedAt),
  ];
  // Two rounds at most: the holder of the phone may be deleted between our two statements.
  for (let attempt = 0; attempt < 2; attempt++) {
    if (await insertContactIfPhoneFree(db, row, alsoInBatch)) return contact;
    const existingId = await findLiveIdByPhone(db, organizationId, row.primaryPhone);
    if (existingId) throw contactExists(existingId);
  }
  throw serviceUnavailable();
}

const cursorError = (code: "invalidCursor" | "cursorMismatch") => validationError([fieldError("cursor", code)]);

/** The position a `cursor` parameter holds, or the `400` that refuses it. */
async function positionOfCursor(cursor: string, binding: readonly unknown[], nullable: boolean): Promise<Position> {
  const position = decodeCursor(cursor, await bindingOf(binding));
  if (position === "invalid" || (position !== "mismatch" && position.value === null && !nullable)) {
    throw cursorError("invalidCursor");
  }
  if (position === "mismatch") throw cursorError("cursorMismatch");
  return position;
}

/**
 * One page of the organization's live contacts (docs/api.md#list): numbered, with the GoMobile
 * `meta` and a total, or after `cursor`, keyset, without one. Either gives `nextCursor`, bound
 * to the organization and every parameter but `page`, `limit` and `cursor`.
 */
export async function listContacts(db: Db, organizationId: string, query: ContactListQuery) {
  const { cursor, ...selection } = query;
  if (selection.primaryPhone) {
    const phone = selection.primaryPhone;
    const resolved = await withOrgContext(db, organizationId, (org) => resolveInput({ primaryPhone: phone }, org));
    selection.primaryPhone = resolved.primaryPhone;
  }
  const { sortBy, sortOrder, search, updatedAfter, primaryPhone, primaryEmail } = selection;
  const binding = ["contacts", organizationId, sortBy, sortOrder, search, updatedAfter, primaryPhone, primaryEmail];
  const after = cursor ? await positionOfCursor(cursor, binding, sortColumnIsNullable(sortBy)) : undefined;
  const { rows, total } = await listContactRows(db, organizationId, selection, after);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const more = total === undefined ? rows.length > query.limit : (query.page ?? 1) * query.limit < total;
  const nextCursor = more && last ? encodeCursor(positionOf(last, sortBy), await bindingOf(binding)) : null;
  const data = page.map(toContact);
  if (total === undefined) return { data, meta: { limit: query.limit, hasNextPage: nextCursor !== null, nextCursor } };
  return { data, meta: { ...pageMetaOf(query.page ?? 1, query.limit, total), nextCursor } };
}

/** Soft-deleted contacts of the organization, oldest deletion first, until purged (docs/api.md#deleted-since). */
export async function listDeletedContacts(db: Db, organizationId: string, query: DeletedContactsQuery) {
  const binding = ["deleted", organizationId, query.deletedAfter];
  const after = query.cursor ? await positionOfCursor(query.cursor, binding, false) : undefined;
  const rows = await deletedContactsQuery(db, organizationId, query, after);
  const page = rows.slice(0, query.limit) as { id: string; deletedAt: string }[];
  const last = page.at(-1);
  const nextCursor =
    rows.length > query.limit && last
      ? encodeCursor({ value: last.deletedAt, id: last.id }, await bindingOf(binding))
      : null;
  return { data: page, meta: { nextCursor } };
}

/** Missing, deleted and another organization's contacts are all the same 404. */
const contactNotFound = () => notFound("Contact");

/** The `updatedAt` values `If-Match` accepts for contact `id`; undefined when any will do (none sent, or `*`). */
const acceptedVersions = (id: string, ifMatch: IfMatch | undefined) =>
  ifMatch === undefined || ifMatch === "*" ? undefined : updatedAtsMatching(id, ifMatch);

/**
 * After a conditional write that wrote nothing: `412` if the live contact is there (it changed
 * since the ETag the caller holds), else the `404` the write would have answered anyway.
 */
async function staleOrNotFound(db: Db, organizationId: string, id: string, conditional: boolean): Promise<never> {
  if (conditional && (await findLiveContact(db, organizationId, id))) throw new ApiError("PRECONDITION_FAILED");
  throw contactNotFound();
}

export async function getContact(db: Db, organizationId: string, id: string) {
  const row = await findLiveContact(db, organizationId, id);
  if (!row) throw contactNotFound();
  return toContact(row);
}

/**
 * Partial update with the one merge rule (`mergeContact`), done by SQLite in the write
 * itself ({@link mergeIntoContact}): one round trip, and concurrent updates of one contact all
 * succeed, each applied whole onto the others, last write winning field by field. A second
 * read only when the phone is taken, to name the holder.
 *
 * @param patch validated, resolved (phone in E.164) update input.
 * @param guards statements that abort the write when what validation relied on changed.
 * @param ifMatch the request's `If-Match`: a condition of the same UPDATE (`412` when it fails).
 * @param emit adds `contact.updated` to the outbox, in the write's batch: SQLite sets `updatedAt`,
 *   at or after `since`, so the event is written for a live contact updated since then (a `404`
 *   or a `412` writes none).
 */
export async function updateContact(
  db: Db,
  organizationId: string,
  id: string,
  patch: ContactUpdateInput,
  guards: BatchItem<"sqlite">[] = [],
  ifMatch?: IfMatch,
  emit: Emit = noEvents,
) {
  const onlyAt = acceptedVersions(id, ifMatch);
  const since = new Date().toISOString();
  const alsoInBatch = [...guards, ...emit("contact.updated", [id], { since })];
  // Two rounds at most: the holder of the phone may be deleted between our two statements.
  for (let attempt = 0; attempt < 2; attempt++) {
    const now = attempt === 0 ? since : new Date().toISOString();
    const outcome = await mergeIntoContact(db, organizationId, id, patch, now, alsoInBatch, onlyAt);
    if (outcome === "notFound") return staleOrNotFound(db, organizationId, id, onlyAt !== undefined);
    if (typeof outcome === "object") return toContact(outcome);
    if (outcome !== "phoneTaken") throw validationError([fieldError("customAttributes", outcome)]);
    const existingId = await findLiveIdByPhone(db, organizationId, patch.primaryPhone as string);
    if (existingId) throw contactExists(existingId);
  }
  throw serviceUnavailable();
}

/**
 * Erasure (docs/api.md#erasure): the row, live or soft-deleted, and every stored copy of the
 * contact's data ({@link erasureStatements}), in one atomic batch. `If-Match` is checked inside it.
 * `emit` adds `contact.erased` (no personal data: the id and the time) to that batch, written only
 * if the row existed.
 */
export async function eraseContact(
  db: Db,
  organizationId: string,
  id: string,
  ifMatch?: IfMatch,
  emit: Emit = noEvents,
) {
  const events = emit("contact.erased", [id], new Date().toISOString());
  try {
    if (!(await eraseContactRow(db, organizationId, id, acceptedVersions(id, ifMatch), events))) {
      throw contactNotFound();
    }
  } catch (err) {
    const failure = classifyD1Failure(err);
    if (failure?.kind === "guard" && failure.guard === "precondition-failed") throw new ApiError("PRECONDITION_FAILED");
    throw err;
  }
  return { id, erased: true as const };
}

/**
 * Soft delete (docs/api.md#routes): the contact leaves list, read, update and duplicate checks.
 * `emit` adds `contact.deleted` to the outbox, in the same batch.
 */
export async function deleteContact(
  db: Db,
  organizationId: string,
  id: string,
  ifMatch?: IfMatch,
  emit: Emit = noEvents,
) {
  const deletedAt = new Date().toISOString();
  const onlyAt = acceptedVersions(id, ifMatch);
  const events = emit("contact.deleted", [id], deletedAt);
  if (!(await softDeleteContact(db, organizationId, id, deletedAt, onlyAt, events))) {
    return staleOrNotFound(db, organizationId, id, onlyAt !== undefined);
  }
  return { id, deleted: true as const, deletedAt };
}
