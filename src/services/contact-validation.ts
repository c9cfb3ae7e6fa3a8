import type { Db } from "../db/client";
import { ApiError, type FieldError } from "../lib/errors";
import { fieldErrorsOf } from "../lib/validation";
import { type ContactCreateInput, contactCreateSchema } from "../schemas/contact";
import { type OrgContext, resolveInputs } from "./contact-input";
import { withOrgContext } from "./org-context";

// Validation has two halves: the zod schema (context-free), then the rules that need the
// organization (`resolveInputs`: the phone with its default country, typed attribute values).
// When the schema already failed, the second half cannot run on the input; its phone rule still
// runs on the raw value, so that one answer lists every problem instead of revealing them in two
// rounds. The HTTP routes run the halves as the validator's hook and the handler; the webhook
// intake runs them together (`validateContact`).

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/**
 * The phone errors of raw items whose schema failed, keyed below each item's prefix.
 *
 * @param items the raw items with the path prefix of each (`["data", 3]`, or `[]` for a single body).
 */
export async function rawPhoneErrors(org: OrgContext, items: { item: unknown; prefix: PropertyKey[] }[]) {
  const phones = items.flatMap(({ item, prefix }) => {
    const phone = isRecord(item) ? item.primaryPhone : undefined;
    // Too long, missing or not a string: zod has reported it already.
    return typeof phone === "string" && phone.trim() !== "" && phone.length <= 32
      ? [{ primaryPhone: phone.trim(), prefix }]
      : [];
  });
  if (phones.length === 0) return [];
  try {
    await resolveInputs(phones, org, (i) => phones[i]?.prefix ?? []);
    return [];
  } catch (err) {
    if (err instanceof ApiError && err.code === "VALIDATION_FAILED") return err.fieldErrors;
    throw err;
  }
}

/** For a route's validation hook: the phone errors of a single contact body. */
export const phoneErrorsOfBody = (db: Db, organizationId: string, body: unknown) =>
  withOrgContext(db, organizationId, (org) => rawPhoneErrors(org, [{ item: body, prefix: [] }]));

/** For a route's validation hook: the phone errors of every item of an upsert body; none for an array over `maxItems` (refused whole). */
export const phoneErrorsOfBatch = (db: Db, organizationId: string, body: unknown, maxItems: number) =>
  withOrgContext(db, organizationId, (org) =>
    rawPhoneErrors(
      org,
      isRecord(body) && Array.isArray(body.data) && body.data.length <= maxItems
        ? body.data.map((item, i) => ({ item, prefix: ["data", i] }))
        : [],
    ),
  );

/**
 * Both halves at once, for one contact that did not come through a route's validator (a webhook
 * delivery): the input, resolved, or every failure of both halves.
 */
export async function validateContact(
  raw: Record<string, unknown>,
  org: OrgContext,
): Promise<{ ok: true; input: ContactCreateInput } | { ok: false; fieldErrors: FieldError[] }> {
  const parsed = contactCreateSchema.safeParse(raw);
  if (!parsed.success) {
    const fieldErrors = [...fieldErrorsOf(parsed.error), ...(await rawPhoneErrors(org, [{ item: raw, prefix: [] }]))];
    return { ok: false, fieldErrors };
  }
  try {
    const [input] = await resolveInputs([parsed.data], org);
    return { ok: true, input: input as ContactCreateInput };
  } catch (err) {
    if (err instanceof ApiError && err.code === "VALIDATION_FAILED") return { ok: false, fieldErrors: err.fieldErrors };
    throw err;
  }
}
