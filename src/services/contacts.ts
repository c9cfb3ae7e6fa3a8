import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../db/client";
import {
  type ContactRow,
  contactIdExists,
  findLiveContact,
  findLiveIdByPhone,
  insertContactIfPhoneFree,
  listContactRows,
  softDeleteContact,
  toContact,
  writeContactIfUnchanged,
} from "../db/contacts";
import { type Finalize, noFinalize } from "../db/idempotency";
import { ApiError, notFound, serviceUnavailable } from "../lib/errors";
import { uuidv7 } from "../lib/ids";
import type { ContactCreateInput, ContactUpdateInput } from "../schemas/contact";
import { CONTACT_TEXT_FIELD_NAMES } from "../schemas/contact-fields";
import type { ContactListQuery } from "../schemas/contact-query";
import { pageMetaOf } from "../schemas/responses";
import { deriveFullName } from "./contact-input";
import { mergeContact } from "./contact-merge";
import { type Emit, noEvents } from "./events/outbox";

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
    ...finalize(201, contact, contactIdExists(db, row.id)),
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

const UPDATE_ATTEMPTS = 3;

/**
 * Partial update with the one merge rule ({@link mergeContact}). D1 has no transaction to hold
 * the row between read and write, so the write is guarded by the `updatedAt` that was read:
 * when another request changed the contact in between, the update is merged again onto
 * the fresh row, at most {@link UPDATE_ATTEMPTS} times, then `503`.
 *
 * @param patch validated, resolved (phone in E.164) update input.
 * @param guards statements that abort the write when what validation relied on changed.
 * @param emit adds `contact.updated` to the outbox, in the write's batch.
 */
export async function updateContact(
  db: Db,
  organizationId: string,
  id: string,
  patch: ContactUpdateInput,
  guards: BatchItem<"sqlite">[] = [],
  emit: Emit = noEvents,
) {
  for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
    const row = await findLiveContact(db, organizationId, id);
    if (!row) throw contactNotFound();
    const next = mergeContact(row, patch, new Date().toISOString());
    const outcome = await writeContactIfUnchanged(db, next, row.updatedAt, [
      ...guards,
      ...emit("contact.updated", [id], next.updatedAt),
    ]);
    if (outcome === "written") return toContact(next);
    if (outcome === "phoneTaken") {
      const existingId = await findLiveIdByPhone(db, organizationId, next.primaryPhone);
      // Else the holder was deleted in between: the phone is free now, try again.
      if (existingId) throw contactExists(existingId);
    }
  }
  throw serviceUnavailable();
}

/**
 * Soft delete (docs/api.md#routes): the contact leaves list, read, update and duplicate checks.
 * `emit` adds `contact.deleted` to the outbox, in the same batch.
 */
export async function deleteContact(db: Db, organizationId: string, id: string, emit: Emit = noEvents) {
  const deletedAt = new Date().toISOString();
  const events = emit("contact.deleted", [id], deletedAt);
  if (!(await softDeleteContact(db, organizationId, id, deletedAt, events))) throw contactNotFound();
  return { id, deleted: true as const, deletedAt };
}
