import type { ContactFieldTarget, FieldMap } from "../../schemas/webhook-source";

/** One answer of a delivery, as every adapter reduces its provider's payload. */
export interface Answer {
  /** What a fieldMap entry may call this answer (ref, id, key, label, …), most specific first. */
  names: string[];
  /** Set when the payload itself says what the answer is (a phone-number question, …). */
  kind?: ContactFieldTarget | `customAttributes.${string}`;
  value: unknown;
}

/** What an adapter makes of a payload: the provider's event id, and a contact input to validate. */
export interface Adapted {
  eventId: string | null;
  input: Record<string, unknown>;
}

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** A provider's event id as a string, when it sent a usable one. */
export function eventIdOf(value: unknown): string | null {
  if (typeof value === "number" && Number.isSafeInteger(value)) return String(value);
  return typeof value === "string" && value.trim() !== "" ? value.trim() : null;
}

/**
 * A field name as people write it, reduced to snake case without filler, so that
 * "What's your phone number?", "Phone Number", "phoneNumber" and "phone-number" all read
 * `phone_number`.
 */
export function normalizeName(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .replace(/^(?:what_s_|what_is_|please_enter_|enter_)?(?:your_)?/, "");
}

/** Common names of form fields (normalised) → the contact field they hold. */
const COMMON_NAMES: Record<string, ContactFieldTarget> = {};
const common = (target: ContactFieldTarget, ...names: string[]) => {
  for (const name of names) COMMON_NAMES[name] = target;
};
common(
  "primaryPhone",
  "phone",
  "phone_number",
  "phonenumber",
  "primary_phone",
  "telephone",
  "telephone_number",
  "tel",
  "mobile",
  "mobile_phone",
  "mobile_number",
  "cell",
  "cellphone",
  "cell_phone",
  "whatsapp",
  "whatsapp_number",
  "gsm",
  "contact_number",
);
common("primaryEmail", "email", "e_mail", "email_address", "emailaddress", "primary_email", "mail");
common("firstName", "first_name", "firstname", "given_name", "fname", "first", "prenom");
common("lastName", "last_name", "lastname", "surname", "family_name", "lname", "last", "nom");
common("fullName", "name", "full_name", "fullname", "contact_name");
common("address", "address", "street", "street_address", "address_line_1", "addr_line1", "address1");
common("city", "city", "town");
common("state", "state", "region", "province", "state_province");
common("zip", "zip", "zipcode", "zip_code", "postal_code", "postalcode", "postcode", "post_code", "postal");
common("occupation", "occupation", "job", "job_title", "profession");
common("preferredChannel", "preferred_channel");
common("gender", "gender", "sex");

/** The contact field a field name commonly stands for, if any. */
export function commonTarget(name: string): ContactFieldTarget | undefined {
  const normalized = normalizeName(name);
  return Object.hasOwn(COMMON_NAMES, normalized) ? COMMON_NAMES[normalized] : undefined;
}

const isBlank = (v: unknown) =>
  v === undefined || v === null || (typeof v === "string" && v.trim() === "") || (Array.isArray(v) && v.length === 0);

const isScalar = (v: unknown) => typeof v === "string" || typeof v === "number" || typeof v === "boolean";

/** Text for a string field: strings as sent, numbers written out (Webflow sends phones as numbers), lists joined. */
function textOf(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === "string" || typeof v === "number")) {
    return value.filter((v) => !isBlank(v)).join(", ");
  }
  return undefined;
}

/**
 * The value for a contact field, or undefined to leave the field alone. A value the admin
 * mapped explicitly is passed on even when it does not fit, so validation names the problem;
 * a guessed one that does not fit is not used.
 */
function fieldValue(target: ContactFieldTarget, value: unknown, explicit: boolean): unknown {
  let fitted: unknown;
  if (target === "channels") {
    if (typeof value === "string") fitted = [value];
    else if (Array.isArray(value) && value.every(isScalar)) fitted = value.map(String).filter((v) => !isBlank(v));
  } else if (target === "gender") {
    const gender = typeof value === "string" ? value.trim().toLowerCase() : undefined;
    if (gender === "male" || gender === "female") fitted = gender;
  } else {
    fitted = textOf(value);
  }
  if (fitted === undefined) fitted = explicit ? value : undefined;
  return isBlank(fitted) ? undefined : fitted;
}

function attributeValue(value: unknown): unknown {
  if (isBlank(value)) return undefined;
  return value;
}

/**
 * Turns answers into a contact input, in three passes where the first to set a field wins:
 * the source's fieldMap (by any of an answer's names), then answers whose kind the provider
 * states, then common field names. Blank answers are skipped rather than sent as `null`, so a
 * later submission with an empty field never clears what the contact already has; answers
 * nothing claims are dropped.
 *
 * @example toContactInput([{ names: ["Phone"], value: 33612345678 }], {}) // { primaryPhone: "33612345678" }
 */
export function toContactInput(answers: Answer[], fieldMap: FieldMap): Record<string, unknown> {
  const map = new Map(Object.entries(fieldMap));
  const input: Record<string, unknown> = {};
  const attributes: Record<string, unknown> = {};
  const set = (target: string, value: unknown, explicit: boolean) => {
    if (target.startsWith("customAttributes.")) {
      const name = target.slice("customAttributes.".length);
      const v = attributeValue(value);
      if (v !== undefined && !Object.hasOwn(attributes, name)) attributes[name] = v;
      return;
    }
    const v = fieldValue(target as ContactFieldTarget, value, explicit);
    if (v !== undefined && !Object.hasOwn(input, target)) input[target] = v;
  };

  const unmapped: Answer[] = [];
  for (const answer of answers) {
    const target = answer.names.map((n) => map.get(n)).find((t) => t !== undefined);
    if (target) set(target, answer.value, true);
    else unmapped.push(answer);
  }
  for (const answer of unmapped) if (answer.kind) set(answer.kind, answer.value, false);
  for (const answer of unmapped) {
    if (answer.kind) continue;
    const target = answer.names.map(commonTarget).find((t) => t !== undefined);
    if (target) set(target, answer.value, false);
  }
  if (Object.keys(attributes).length > 0) input.customAttributes = attributes;
  return input;
}
