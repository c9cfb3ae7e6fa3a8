import { contactCreateSchema, contactUpdateSchema } from "../schemas/contact";
import { contactSchema } from "../schemas/responses";
import { fieldDocs } from "./json-schema";

// The rules of CONTRACT §4.1 in words, for the reference. The validation schemas stay free of
// documentation; the field objects are shared by create, update and upsert, so one entry serves all.

const input = contactCreateSchema.shape;
const trimmed = (max: number) => `Trimmed, 1–${max} characters. \`null\` or blank means not set.`;

const phone = {
  description:
    "A valid phone number, at most 32 characters as sent; spaces, dashes, dots, brackets and a leading `00` are fine. " +
    "Stored in E.164. A national number (`0612345678`) is accepted only when the organization has a default country.",
  examples: ["+212612345678"],
};
fieldDocs.add(input.primaryPhone, phone);
fieldDocs.add(contactUpdateSchema.shape.primaryPhone, {
  ...phone,
  description: `${phone.description} Cannot be cleared.`,
});
fieldDocs.add(input.firstName, { description: trimmed(64) });
fieldDocs.add(input.lastName, { description: trimmed(64) });
fieldDocs.add(input.fullName, {
  description: `${trimmed(64)} When absent, derived from \`firstName\` and \`lastName\`.`,
});
fieldDocs.add(input.primaryEmail, {
  description: "A valid e-mail address, at most 254 characters; stored lower-cased. `null` or blank means not set.",
  examples: ["john@example.com"],
});
fieldDocs.add(input.address, { description: trimmed(256) });
for (const field of [input.city, input.state, input.zip, input.occupation]) {
  fieldDocs.add(field, { description: trimmed(64) });
}
fieldDocs.add(input.preferredChannel, {
  description: `Free text: \`phone\`, \`sms\`, \`whatsapp\`, \`email\`, … ${trimmed(64)}`,
});
fieldDocs.add(input.gender, { description: "`male` or `female`; `null` means not set." });
fieldDocs.add(input.channels, { description: "At most 20 strings of 1–64 characters; duplicates are removed." });
fieldDocs.add(input.customAttributes, {
  description:
    "Keys match `^[a-z][a-z0-9_]{0,63}$`, at most 100 of them; values are strings (≤ 1024 characters), finite numbers, " +
    "booleans, `null`, or arrays (≤ 50) of those; at most 16 KB serialised. Where the organization has defined an " +
    "attribute of that name, the value must match its type.",
  examples: [{ age: 30, interests: ["tech"] }],
});

const output = contactSchema.shape;
fieldDocs.add(output.id, { description: "UUIDv7: time-ordered." });
fieldDocs.add(output.organizationId, { description: "The organization of the API key that created it." });
fieldDocs.add(output.primaryPhone, { description: "E.164; unique among the organization's live contacts." });
fieldDocs.add(output.channels, { description: "`[]` when none." });
fieldDocs.add(output.customAttributes, { description: "`{}` when none." });
