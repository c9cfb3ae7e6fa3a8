import * as z from "zod";
import { codePoints, text, textOrNull } from "./common";
import {
  ATTRIBUTE_LIMITS,
  ATTRIBUTE_NAME,
  CONTACT_TEXT_FIELD_NAMES,
  CONTACT_TEXT_FIELDS,
  type ContactTextField,
  GENDERS,
} from "./contact-fields";

export { ATTRIBUTE_NAME };

/** `null`, or a string that is empty after trimming, means "not set" (docs/api.md#input-fields). */
const blankToNull = (v: unknown) => (typeof v === "string" && v.trim() === "" ? null : v);

const notSet = "`null` or blank means not set.";
const described = (max: number, note?: string) =>
  [`Trimmed, 1–${max} characters.`, note, notSet].filter(Boolean).join(" ");

/** An e-mail address as stored: trimmed, lower-cased. */
export const email = z
  .string()
  .trim()
  .max(254)
  .toLowerCase()
  .pipe(z.email())
  .meta({ format: "email", pattern: z.regexes.email.source });

/** An optional text field of the list; blank becomes `null`. */
function textField(field: ContactTextField) {
  const { max, note } = CONTACT_TEXT_FIELDS[field] as { max: number; note?: string };
  const rule = field === "primaryEmail" ? z.preprocess(blankToNull, email.nullable()) : textOrNull(max);
  return rule.optional().meta({ description: described(max, note) });
}

const PHONE_DOC =
  "A valid phone number, at most 32 characters as sent; spaces, dashes, dots, brackets and a leading `00` are fine. " +
  "Stored in E.164. A national number (`0612345678`) is accepted only when the organization has a default country. " +
  "Validity (libphonenumber's metadata) cannot be expressed in this schema: the pattern only bounds the shape.";

/** As sent, at most 32 characters; parsed and normalised later, once the organization's default country is known. */
const phone = z
  .preprocess(blankToNull, z.string().max(32).trim().nullable())
  .pipe(z.string())
  .meta({ description: PHONE_DOC, pattern: "^\\s*(\\+|00)?[0-9\\s\\-.()]{2,31}$", examples: ["+212612345678"] });

type AttributeScalar = string | number | boolean | null;
export type AttributeValue = AttributeScalar | AttributeScalar[];

/** What the document says a value is. */
const SCALAR_DOC = [
  { type: "string", maxLength: ATTRIBUTE_LIMITS.stringLength },
  { type: "number" },
  { type: "boolean" },
  { type: "null" },
];
const VALUE_DOC = [
  ...SCALAR_DOC,
  { type: "array", items: { anyOf: SCALAR_DOC }, maxItems: ATTRIBUTE_LIMITS.arrayItems },
];

type Issue = z.core.ParsePayload["issues"][number];
const { stringLength, arrayItems } = ATTRIBUTE_LIMITS;

const isScalar = (v: unknown) =>
  v === null || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v)) || typeof v === "string";
// Code points, as zod's `max` counted them; a string within the limit in UTF-16 units is within it in code points.
const isTooLong = (v: unknown) => typeof v === "string" && v.length > stringLength && codePoints(v) > stringLength;
const tooLong = (v: unknown, path: PropertyKey[]): Issue => ({
  code: "too_big",
  origin: "string",
  maximum: stringLength,
  inclusive: true,
  input: v,
  path,
  continue: true,
});
const notAValue = (v: unknown): Issue => ({ code: "invalid_union", errors: [], input: v, path: [] });

/**
 * The issues of one value, relative to its key: those zod's union of {@link VALUE_DOC} gave. A
 * string over the limit is `too_big` (at `[i]` in an array, for each such item); anything else
 * that is not a value, an array over the limit included (zod refused it whole, before its items),
 * is one `invalid_union`.
 */
function valueIssues(v: unknown): Issue[] {
  if (isScalar(v)) return isTooLong(v) ? [tooLong(v, [])] : [];
  if (!Array.isArray(v) || v.length > arrayItems) return [notAValue(v)];
  // Plain loops, not `every`: zod's array sees a hole as `undefined` rather than skipping it.
  for (let i = 0; i < v.length; i++) if (!isScalar(v[i])) return [notAValue(v)];
  const issues: Issue[] = [];
  for (let i = 0; i < v.length; i++) if (isTooLong(v[i])) issues.push(tooLong(v[i], [i]));
  return issues;
}

/**
 * A value of `customAttributes`: documented as the union {@link VALUE_DOC}, but checked by hand,
 * because zod's union tries its branches in turn and builds the issues of every failed one (an
 * array went through four failed scalar branches first): that was a quarter of the schema's time
 * on an upsert item. `test/schemas/attribute-value.test.ts` holds it to the union's answers.
 */
export const attributeValue: z.ZodType<AttributeValue> = z
  .any()
  .check((payload) => {
    payload.issues.push(...valueIssues(payload.value));
  })
  .meta({ anyOf: VALUE_DOC });
export type Attributes = Record<string, AttributeValue>;

const encoder = new TextEncoder();

/**
 * The limits that hold for a contact's whole `customAttributes`: checked on the input, and again
 * on the result of every merge (an update or upsert adds keys to the stored ones).
 *
 * @param json `attributes` serialised, when the caller has it already.
 * @returns the code of the broken limit, or undefined.
 */
export function attributeLimitBroken(
  attributes: object,
  json = JSON.stringify(attributes),
): "tooManyAttributes" | "attributesTooLarge" | undefined {
  if (Object.keys(attributes).length > ATTRIBUTE_LIMITS.keys) return "tooManyAttributes";
  // A UTF-16 unit is at most 3 bytes of UTF-8: most attributes are under the limit without encoding them.
  if (json.length * 3 > ATTRIBUTE_LIMITS.bytes && encoder.encode(json).length > ATTRIBUTE_LIMITS.bytes) {
    return "attributesTooLarge";
  }
  return undefined;
}

/**
 * JSON.parse makes `__proto__` an own key, which zod's record would silently drop: reject it
 * (and every other bad name) on the raw input instead.
 */
const customAttributes = z
  .preprocess((v, ctx) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    for (const key of Object.keys(v)) {
      if (!ATTRIBUTE_NAME.test(key)) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: "invalidAttributeName",
          params: { code: "invalidAttributeName" },
        });
      }
    }
    const broken = attributeLimitBroken(v);
    if (broken) ctx.addIssue({ code: "custom", message: broken, params: { code: broken } });
    return v;
    // The keys were checked above, and any issue stops the record from running: no second check of them.
  }, z.record(z.string(), attributeValue).nullable())
  .optional()
  .meta({
    description:
      `Keys match \`${ATTRIBUTE_NAME.source}\`, at most ${ATTRIBUTE_LIMITS.keys} of them; values are strings ` +
      `(≤ ${ATTRIBUTE_LIMITS.stringLength} characters), finite numbers, booleans, \`null\`, or arrays ` +
      `(≤ ${ATTRIBUTE_LIMITS.arrayItems}) of those; at most 16 KB serialised, also after merging into the stored ` +
      "attributes. Where the organization has defined an attribute of that name, the value must match its type. " +
      "On update and upsert, keys merge into the stored ones; a `null` value removes its key.",
    maxProperties: ATTRIBUTE_LIMITS.keys,
    propertyNames: { pattern: ATTRIBUTE_NAME.source },
    examples: [{ age: 30, interests: ["tech"] }],
  });

const channels = z
  .array(text(64, { min: 1 }))
  .max(20)
  .nullable()
  .transform((list) => (list === null ? null : [...new Set(list)]))
  .optional()
  .meta({ description: "At most 20 strings of 1–64 characters; duplicates are removed." });

const fields = {
  ...(Object.fromEntries(CONTACT_TEXT_FIELD_NAMES.map((f) => [f, textField(f)])) as {
    [F in ContactTextField]: ReturnType<typeof textField>;
  }),
  gender: z.enum(GENDERS).nullable().optional().meta({ description: "`male` or `female`; `null` means not set." }),
  channels,
  customAttributes,
};

/** `POST /api/contact` and each item of an upsert: `primaryPhone` is required. */
export const contactCreateSchema = z.strictObject({ primaryPhone: phone, ...fields }).meta({ id: "ContactInput" });

/** `PUT`/`PATCH /api/contact/:id`: every field optional, at least one present. */
export const contactUpdateSchema = z
  .strictObject({ primaryPhone: phone.optional(), ...fields })
  .refine((v) => Object.keys(v).length > 0, {
    message: "noFields",
    params: { code: "noFields" },
    // `{ "nickname": … }` is one error (the unknown property), not also "no fields".
    when: (payload) => payload.issues.length === 0,
  })
  .meta({ id: "ContactUpdate", minProperties: 1 });

export type ContactCreateInput = z.infer<typeof contactCreateSchema>;
export type ContactUpdateInput = z.infer<typeof contactUpdateSchema>;
/** The fields that both inputs share, after validation. */
export type ContactFields = Omit<ContactUpdateInput, "primaryPhone">;

export const MAX_UPSERT_ITEMS = 1000;

/**
 * `POST /api/contact/upsert`: 1 to {@link MAX_UPSERT_ITEMS} create inputs, matched by phone. A longer
 * array is refused with one error on `data` before any item is looked at.
 */
export const contactUpsertSchema = z
  .strictObject({
    data: z.preprocess((items, ctx) => {
      if (Array.isArray(items) && items.length > MAX_UPSERT_ITEMS) {
        ctx.addIssue({ code: "too_big", origin: "array", maximum: MAX_UPSERT_ITEMS, inclusive: true, input: items });
      }
      return items;
    }, z.array(contactCreateSchema).min(1).max(MAX_UPSERT_ITEMS)),
  })
  .meta({ id: "ContactUpsertInput" });
