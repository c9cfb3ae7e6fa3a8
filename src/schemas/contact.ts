import * as z from "zod";

/** `null`, or a string that is empty after trimming, means "not set" (CONTRACT §4.1). */
const blankToNull = (v: unknown) => (typeof v === "string" && v.trim() === "" ? null : v);

/** An optional, nullable, trimmed string of 1–`max` characters; blank becomes `null`. */
const text = (max: number) => z.preprocess(blankToNull, z.string().trim().max(max).nullable()).optional();

/** As sent, at most 32 characters; parsed and normalised later, once the organization's default country is known. */
const phone = z.preprocess(blankToNull, z.string().max(32).trim().nullable());

export const ATTRIBUTE_NAME = /^[a-z][a-z0-9_]{0,63}$/;
const MAX_ATTRIBUTES = 100;
const MAX_ATTRIBUTES_BYTES = 16 * 1024;

const attributeScalar = z.union([z.string().max(1024), z.number(), z.boolean(), z.null()]);
export const attributeValue = z.union([attributeScalar, z.array(attributeScalar).max(50)]);
export type AttributeValue = z.infer<typeof attributeValue>;

/**
 * JSON.parse makes `__proto__` an own key, which zod's record would silently drop: reject it
 * (and every other bad name) on the raw input instead.
 */
const customAttributes = z
  .preprocess((v, ctx) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    const keys = Object.keys(v);
    for (const key of keys) {
      if (!ATTRIBUTE_NAME.test(key)) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: "invalidAttributeName",
          params: { code: "invalidAttributeName" },
        });
      }
    }
    if (keys.length > MAX_ATTRIBUTES) {
      ctx.addIssue({ code: "custom", message: "tooManyAttributes", params: { code: "tooManyAttributes" } });
    } else if (new TextEncoder().encode(JSON.stringify(v)).length > MAX_ATTRIBUTES_BYTES) {
      ctx.addIssue({ code: "custom", message: "attributesTooLarge", params: { code: "attributesTooLarge" } });
    }
    return v;
  }, z.record(z.string().regex(ATTRIBUTE_NAME), attributeValue).nullable())
  .optional();

const channels = z
  .array(z.string().trim().min(1).max(64))
  .max(20)
  .nullable()
  .transform((list) => (list === null ? null : [...new Set(list)]));

const fields = {
  firstName: text(64),
  lastName: text(64),
  fullName: text(64),
  primaryEmail: z
    .preprocess(blankToNull, z.string().trim().max(254).toLowerCase().pipe(z.email()).nullable())
    .optional(),
  address: text(256),
  city: text(64),
  state: text(64),
  zip: text(64),
  occupation: text(64),
  preferredChannel: text(64),
  gender: z.enum(["male", "female"]).nullable().optional(),
  channels: channels.optional(),
  customAttributes,
};

/** `POST /api/contact` and each item of an upsert: `primaryPhone` is required. */
export const contactCreateSchema = z.strictObject({
  primaryPhone: phone.pipe(z.string()),
  ...fields,
});

/** `PUT`/`PATCH /api/contact/:id`: every field optional, at least one present. */
export const contactUpdateSchema = z
  .strictObject({ primaryPhone: phone.pipe(z.string()).optional(), ...fields })
  .refine((v) => Object.keys(v).length > 0, { message: "noFields", params: { code: "noFields" } });

export type ContactCreateInput = z.infer<typeof contactCreateSchema>;
export type ContactUpdateInput = z.infer<typeof contactUpdateSchema>;
/** The fields that both inputs share, after validation. */
export type ContactFields = Omit<ContactUpdateInput, "primaryPhone">;

/** `POST /api/contact/upsert`: 1 to 1000 create inputs, matched by phone. */
export const contactUpsertSchema = z.strictObject({
  data: z.array(contactCreateSchema).min(1).max(1000),
});
