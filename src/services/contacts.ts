import type { Db } from "../db/client";
import {
  type ContactRow,
  contactIdExists,
  findLiveIdByPhone,
  insertContactIfPhoneFree,
  toContact,
} from "../db/contacts";
import { type Finalize, noFinalize } from "../db/idempotency";
import { ApiError, serviceUnavailable } from "../lib/errors";
import { uuidv7 } from "../lib/ids";
import type { ContactCreateInput } from "../schemas/contact";
import { deriveFullName } from "./contact-input";

export function contactExists(existingId: string): ApiError {
  return new ApiError(409, "CONTACT_EXISTS", "A contact with this phone number already exists", { existingId });
}

/** A new row from a validated, resolved create input. */
export function newContactRow(organizationId: string, input: ContactCreateInput, now = new Date()): ContactRow {
  const at = now.toISOString();
  return {
    id: uuidv7(now.getTime()),
    organizationId,
    primaryPhone: input.primaryPhone,
    channels: JSON.stringify(input.channels ?? []),
    createdAt: at,
    updatedAt: at,
    firstName: input.firstName ?? null,
    lastName: input.lastName ?? null,
    fullName: input.fullName ?? deriveFullName(input.firstName, input.lastName),
    primaryEmail: input.primaryEmail ?? null,
    address: input.address ?? null,
    city: input.city ?? null,
    state: input.state ?? null,
    zip: input.zip ?? null,
    occupation: input.occupation ?? null,
    preferredChannel: input.preferredChannel ?? null,
    gender: input.gender ?? null,
    customAttributes: JSON.stringify(input.customAttributes ?? {}),
    deletedAt: null,
  };
}

/**
 * One D1 write; a second read only when the phone is taken, to name the existing contact.
 * `finalize` stores the 201 in the insert's batch, only if the row was inserted.
 */
export async function createContact(
  db: Db,
  organizationId: string,
  input: ContactCreateInput,
  finalize: Finalize = noFinalize,
) {
  const row = newContactRow(organizationId, input);
  const contact = toContact(row);
  const stored = finalize(201, contact, contactIdExists(db, row.id));
  // Two rounds at most: the holder of the phone may be deleted between our two statements.
  for (let attempt = 0; attempt < 2; attempt++) {
    if (await insertContactIfPhoneFree(db, row, stored)) return contact;
    const existingId = await findLiveIdByPhone(db, organizationId, row.primaryPhone);
    if (existingId) throw contactExists(existingId);
  }
  throw serviceUnavailable();
}
