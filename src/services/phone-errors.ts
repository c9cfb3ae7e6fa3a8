import type { Db } from "../db/client";
import { ApiError, type FieldError } from "../lib/errors";
import { resolveInputs } from "./contact-input";
import { withOrgContext } from "./org-context";

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/**
 * When the context-free rules (zod) already failed, the phone rules that need the organization
 * (its default country) have not run yet. This runs them on the raw items too, so that one 400
 * lists every failure of every item instead of revealing them in two rounds.
 *
 * @param items the raw items with the path prefix of each (`["data", 3]`, or `[]` for a single body).
 */
async function phoneErrorsOf(db: Db, organizationId: string, items: { item: unknown; prefix: PropertyKey[] }[]) {
  const phones = items.flatMap(({ item, prefix }) => {
    const phone = isRecord(item) ? item.primaryPhone : undefined;
    // Too long, missing or not a string: zod has reported it already.
    return typeof phone === "string" && phone.trim() !== "" && phone.length <= 32
      ? [{ primaryPhone: phone.trim(), prefix }]
      : [];
  });
  if (phones.length === 0) return [];
  try {
    await withOrgContext(db, organizationId, (org) => resolveInputs(phones, org, (i) => phones[i]?.prefix ?? []));
    return [];
  } catch (err) {
    if (err instanceof ApiError) return err.fieldErrors as FieldError[];
    throw err;
  }
}

/** The phone errors of a single contact body. */
export const phoneErrorsOfBody = (db: Db, organizationId: string, body: unknown) =>
  phoneErrorsOf(db, organizationId, [{ item: body, prefix: [] }]);

/** The phone errors of every item of an upsert body; none for an array over `maxItems` (refused whole). */
export const phoneErrorsOfBatch = (db: Db, organizationId: string, body: unknown, maxItems: number) =>
  phoneErrorsOf(
    db,
    organizationId,
    isRecord(body) && Array.isArray(body.data) && body.data.length <= maxItems
      ? body.data.map((item, i) => ({ item, prefix: ["data", i] }))
      : [],
  );
