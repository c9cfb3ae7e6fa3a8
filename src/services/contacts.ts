import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../db/client";
import {
  type ContactRow,
  contactIdExists,
  findLiveContact,
  findLiveIdByPhone,
  insertContactIfPhoneFree,
  listContactRows,
  mergeIntoContact,
  softDeleteContact,
  toContact,
} from "../db/contacts";
import { type Finalize, noFinalize } from "../db/idempotency";
import { ApiError, notFound, serviceUnavailable, validationError } from "../lib/errors";
import { uuidv7 } from "../lib/ids";
import { fieldError } from "../lib/validation";
import type { ContactCreateInput, ContactUpdateInput } from "../schemas/contact";
import { CONTACT_TEXT_FIELD_NAMES } from "../schemas/contact-fields";
import type { ContactListQuery } from "../schemas/contact-query";
import { pageMetaOf } from "../schemas/responses";
import { deriveFullName } from "./contact-input";

export function contactExists(existingId: string): ApiError {
  return new ApiError("CONTACT_EXISTS", { extra: { existingId } });
}

/** A new row from a validated, resolved create input. */
export function newContactRow(organizationId: string, input: ContactCreateInput, now = new Date()): ContactRow {
  const at = now.toISOString();
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
 * (see `withOrgContext`) abort that batch when what validation relied on changed.
 */
export async function createContact(
  db: Db,
  organizationId: string,
  input: ContactCreateInput,
  finalize: Finalize = noFinalize,
  guards: BatchItem<"sqlite">[] = [],
) {
  const row = newContactRow(organizationId, input);
  const contact = toContact(row);
  const alsoInBatch = [...guards, ...finalize(201, contact, contactIdExists(db, row.id))];
  // Two rounds at most: the holder of the phone may be deleted between our two statements.
  for (let attempt = 0; attempt < 2; attempt++) {
    if (await insertContactIfPhoneFree(db, row, alsoInBatch)) return contact;
    const existingId = await findLiveIdByPhone(db, organizationId, row.primaryPhone);
    if (existingId) throw contactExists(existingId);
  }
  throw serviceUnavailable();
}

/** One page of the organization's live contacts and the GoMobile `meta` (docs/api.md#list). */
export async function listContacts(db: Db, organizationId: string, query: ContactListQuery) {
  const { rows, total } = await listContactRows(db, organizationId, query);
  return { data: rows.map(toContact), meta: pageMetaOf(query.page, query.limit, total) };
}

/** Missing, deleted and another organization's contacts are all the same 404. */
const contactNotFound = () => notFound("Contact");

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
 */
export async function updateContact(
  db: Db,
  organizationId: string,
  id: string,
  patch: ContactUpdateInput,
  guards: BatchItem<"sqlite">[] = [],
) {
  // Two rounds at most: the holder of the phone may be deleted between our two statements.
  for (let attempt = 0; attempt < 2; attempt++) {
    const outcome = await mergeIntoContact(db, organizationId, id, patch, new Date().toISOString(), guards);
    if (outcome === "notFound") throw contactNotFound();
    if (typeof outcome === "object") return toContact(outcome);
    if (outcome !== "phoneTaken") throw validationError([fieldError("customAttributes", outcome)]);
    const existingId = await findLiveIdByPhone(db, organizationId, patch.primaryPhone as string);
    if (existingId) throw contactExists(existingId);
  }
  throw serviceUnavailable();
}

/** Soft delete (docs/api.md#routes): the contact leaves list, read, update and duplicate checks. */
export async function deleteContact(db: Db, organizationId: string, id: string) {
  const deletedAt = new Date().toISOString();
  if (!(await softDeleteContact(db, organizationId, id, deletedAt))) throw contactNotFound();
  return { id, deleted: true as const, deletedAt };
}
