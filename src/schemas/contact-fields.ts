/**
 * The contact's optional text fields, in the order of the contact object (docs/api.md#the-contact):
 * the one list from which the D1 columns (`first_name`, …), the input and output schemas, the
 * row ↔ contact mapping, the merge and the webhook field-map targets are derived. Adding such a
 * field is one entry here and one migration (`npm run db:generate`).
 */
export const CONTACT_TEXT_FIELDS = {
  firstName: { max: 64 },
  lastName: { max: 64 },
  fullName: { max: 64, note: "When absent, derived from `firstName` and `lastName`." },
  primaryEmail: { max: 254, note: "A valid e-mail address; stored lower-cased." },
  address: { max: 256 },
  city: { max: 64 },
  state: { max: 64 },
  zip: { max: 64 },
  occupation: { max: 64 },
  preferredChannel: { max: 64, note: "Free text: `phone`, `sms`, `whatsapp`, `email`, …" },
} as const satisfies Record<string, { max: number; note?: string }>;

export type ContactTextField = keyof typeof CONTACT_TEXT_FIELDS;
export const CONTACT_TEXT_FIELD_NAMES = Object.keys(CONTACT_TEXT_FIELDS) as ContactTextField[];

/** `firstName` → `first_name`: the D1 column of a field. */
export const columnOf = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export const GENDERS = ["male", "female"] as const;

/** Limits of `customAttributes` (docs/api.md#input-fields), on the input and on the merged result alike. */
export const ATTRIBUTE_LIMITS = { keys: 100, bytes: 16 * 1024, stringLength: 1024, arrayItems: 50 } as const;
export const ATTRIBUTE_NAME = /^[a-z][a-z0-9_]{0,63}$/;
