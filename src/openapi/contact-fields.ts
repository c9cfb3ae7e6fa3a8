import { contactCreateSchema, contactUpdateSchema } from "../schemas/contact";
import { contactSchema } from "../schemas/responses";
import { describeFields } from "./json-schema";

// The rules of CONTRACT §4.1 in words, for the reference. The validation schemas stay free of
// documentation; upsert items are `contactCreateSchema` itself, so they are described here too.

const trimmed = (max: number) => `Trimmed, 1–${max} characters. \`null\` or blank means not set.`;
const phone =
  "A valid phone number, at most 32 characters as sent; spaces, dashes, dots, brackets and a leading `00` are fine. " +
  "Stored in E.164. A national number (`0612345678`) is accepted only when the organization has a default country.";

const fields = {
  firstName: { description: trimmed(64) },
  lastName: { description: trimmed(64) },
  fullName: { description: `${trimmed(64)} When absent, derived from \`firstName\` and \`lastName\`.` },
  primaryEmail: {
    description: "A valid e-mail address, at most 254 characters; stored lower-cased. `null` or blank means not set.",
    examples: ["john@example.com"],
  },
  address: { description: trimmed(256) },
  city: { description: trimmed(64) },
  state: { description: trimmed(64) },
  zip: { description: trimmed(64) },
  occupation: { description: trimmed(64) },
  preferredChannel: { description: `Free text: \`phone\`, \`sms\`, \`whatsapp\`, \`email\`, … ${trimmed(64)}` },
  gender: { description: "`male` or `female`; `null` means not set." },
  channels: { description: "At most 20 strings of 1–64 characters; duplicates are removed." },
  customAttributes: {
    description:
      "Keys match `^[a-z][a-z0-9_]{0,63}$`, at most 100 of them; values are strings (≤ 1024 characters), finite " +
      "numbers, booleans, `null`, or arrays (≤ 50) of those; at most 16 KB serialised. Where the organization has " +
      "defined an attribute of that name, the value must match its type.",
    examples: [{ age: 30, interests: ["tech"] }],
  },
};

describeFields(contactCreateSchema, { primaryPhone: { description: phone, examples: ["+212612345678"] }, ...fields });
describeFields(contactUpdateSchema, {
  primaryPhone: { description: `${phone} Cannot be cleared.`, examples: ["+212612345678"] },
  ...fields,
});
describeFields(contactSchema, {
  id: { description: "UUIDv7: time-ordered." },
  organizationId: { description: "The organization of the API key that created it." },
  primaryPhone: { description: "E.164; unique among the organization's live contacts." },
  createdAt: { description: "ISO 8601 UTC, with milliseconds." },
  updatedAt: { description: "Advances on every change." },
  channels: { description: "`[]` when none." },
  customAttributes: { description: "`{}` when none." },
});
