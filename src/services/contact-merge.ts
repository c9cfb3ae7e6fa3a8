import type { ContactRow } from "../db/contacts";
import { validationError } from "../lib/errors";
import { fieldError } from "../lib/validation";
import { attributeLimitBroken, type ContactUpdateInput } from "../schemas/contact";
import { CONTACT_TEXT_FIELD_NAMES } from "../schemas/contact-fields";
import { deriveFullName } from "./contact-input";

/** The columns a present field overwrites as it is. */
const SCALAR_COLUMNS = ["primaryPhone", ...CONTACT_TEXT_FIELD_NAMES, "gender"] as const;

/**
 * `now`, unless that is not after `previous` (same millisecond, or a clock behind the one that
 * wrote it): then one millisecond after `previous`. `updatedAt` must always advance, because a
 * concurrent writer's guard compares it with what it read.
 *
 * @example laterThan("2026-01-01T00:00:00.000Z", "2026-01-01T00:00:00.000Z") // "2026-01-01T00:00:00.001Z"
 */
export function laterThan(previous: string, now: string): string {
  return now > previous ? now : new Date(Date.parse(previous) + 1).toISOString();
}

/**
 * The one merge rule of updates and upserts (docs/api.md#upsert): a present field overwrites, an
 * absent one stays, `null` clears; `channels` is replaced; `customAttributes` merge key by
 * key, a `null` value removing its key (and `customAttributes: null` removing them all), and the
 * merged attributes must still fit their limits (`400` on `<path>customAttributes`, nothing written).
 * `fullName` follows the names while it is derived: when the patch does not set it and the
 * stored one is empty or equals "<firstName> <lastName>", it is derived again. `updatedAt`
 * becomes `now`, or just after the stored one ({@link laterThan}). Updates apply the same rule
 * in SQL (`mergeContactSql` in src/db/contacts.ts; test/db/contacts-update.test.ts keeps the two equal).
 *
 * @param path the input's place in the request (`data.3.` in an upsert), for the error.
 * @example mergeContact(row, { city: null, customAttributes: { age: 31, vip: null } }, now)
 */
export function mergeContact(row: ContactRow, patch: ContactUpdateInput, now: string, path = ""): ContactRow {
  const next: ContactRow = { ...row, updatedAt: laterThan(row.updatedAt, now) };
  for (const column of SCALAR_COLUMNS) {
    const value = patch[column];
    if (value !== undefined) (next as Record<string, unknown>)[column] = value;
  }
  if (patch.channels !== undefined) next.channels = JSON.stringify(patch.channels ?? []);
  if (patch.customAttributes !== undefined) {
    const merged: Record<string, unknown> = patch.customAttributes === null ? {} : JSON.parse(row.customAttributes);
    for (const [key, value] of Object.entries(patch.customAttributes ?? {})) {
      if (value === null) delete merged[key];
      else merged[key] = value;
    }
    const json = JSON.stringify(merged);
    const broken = attributeLimitBroken(merged, json);
    if (broken) throw validationError([fieldError(`${path}customAttributes`, broken)]);
    next.customAttributes = json;
  }
  const wasDerived = row.fullName === null || row.fullName === deriveFullName(row.firstName, row.lastName);
  if (patch.fullName === undefined ? wasDerived : patch.fullName === null) {
    next.fullName = deriveFullName(next.firstName, next.lastName);
  }
  return next;
}
