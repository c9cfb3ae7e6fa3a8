import * as z from "zod";
import { isInternational, normalizePhone, PHONE_MESSAGES } from "../lib/phone";
import type { AttributeValue } from "../schemas/contact";
import type { AttributeType } from "../schemas/custom-attribute";

/** The value to store (normalised where the type says so), or why it does not fit. Messages name the field, never the value. */
export type TypedCheck =
  | { ok: true; value: AttributeValue }
  | { ok: false; code: string; message: (field: string) => string };

const EXPECTED: Record<AttributeType, string> = {
  text: "a string",
  number: "a finite number",
  boolean: "true or false",
  date: "a date string",
  phone_number: "a phone number string",
  email: "an e-mail address string",
  url: "a URL string",
};

const wrongKind = (type: AttributeType, isArray: boolean): TypedCheck => ({
  ok: false,
  code: "attributeType",
  message: (f) =>
    isArray
      ? `${f} must be a single value, not an array: the attribute has type ${type}`
      : `${f} must be ${EXPECTED[type]}: the attribute has type ${type}`,
});

const fail = (code: string, message: (field: string) => string): TypedCheck => ({ ok: false, code, message });

const MAX_TEXT = 1024;
const MAX_EMAIL = 254;
const email = z.email();

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-](\d{2}):(\d{2}))$/;

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
function isCalendarDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = m === 2 ? (isLeap(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
  return d <= days;
}

/**
 * `YYYY-MM-DD` (a real calendar date) stays as sent; a date-time with a zone (`Z` or `±hh:mm`,
 * seconds and fraction optional) becomes UTC with milliseconds, like every timestamp of the API.
 */
function toDate(value: string): string | undefined {
  const day = DATE.exec(value);
  if (day) return isCalendarDate(Number(day[1]), Number(day[2]), Number(day[3])) ? value : undefined;
  const at = DATE_TIME.exec(value);
  if (!at) return undefined;
  const [, y, mo, d, h, mi, s = "00", fraction = "", zone, zh = "00", zm = "00"] = at;
  if (!isCalendarDate(Number(y), Number(mo), Number(d))) return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59 || Number(zh) > 23 || Number(zm) > 59) return undefined;
  const ms = fraction.padEnd(3, "0").slice(0, 3);
  // This exact shape is ECMAScript's own date-time string format, which Date.parse must read.
  const time = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}${zone}`);
  if (Number.isNaN(time)) return undefined;
  const iso = new Date(time).toISOString();
  // An offset can push year 9999 into 10000, which has no four-digit form.
  return /^\d{4}-/.test(iso) ? iso : undefined;
}

function toHttpUrl(value: string): string | undefined {
  const trimmed = value.trim();
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return undefined;
  }
  return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "" ? trimmed : undefined;
}

/**
 * Checks one customAttributes value against the type of its definition (docs/api.md#custom-attributes) and returns
 * what to store. `null` always passes (it removes the key on merge). A typed attribute holds one
 * value: an array is refused. `defaultCountry` is needed only for national `phone_number` values.
 *
 * @example checkAttributeValue("number", "thirty") // { ok: false, code: "attributeType", … }
 * @example checkAttributeValue("phone_number", "0612345678", "MA") // { ok: true, value: "+212612345678" }
 * @example checkAttributeValue("date", "2024-01-01T10:00:00+01:00") // { ok: true, value: "2024-01-01T09:00:00.000Z" }
 */
export function checkAttributeValue(
  type: AttributeType,
  value: AttributeValue,
  defaultCountry?: string | null,
): TypedCheck {
  if (value === null) return { ok: true, value };
  if (Array.isArray(value)) return wrongKind(type, true);
  switch (type) {
    case "number":
      return typeof value === "number" && Number.isFinite(value) ? { ok: true, value } : wrongKind(type, false);
    case "boolean":
      return typeof value === "boolean" ? { ok: true, value } : wrongKind(type, false);
  }
  if (typeof value !== "string") return wrongKind(type, false);
  switch (type) {
    case "text":
      return value.length <= MAX_TEXT
        ? { ok: true, value }
        : fail("maxLength", (f) => `${f} must be shorter than or equal to ${MAX_TEXT} characters`);
    case "date": {
      const date = toDate(value);
      return date !== undefined
        ? { ok: true, value: date }
        : fail(
            "isDate",
            (f) => `${f} must be a calendar date (YYYY-MM-DD) or a date-time with a time zone (Z or ±hh:mm)`,
          );
    }
    case "phone_number": {
      const phone =
        value.length <= 32 ? normalizePhone(value, defaultCountry) : ({ ok: false, code: "invalidPhone" } as const);
      return phone.ok ? { ok: true, value: phone.e164 } : fail(phone.code, PHONE_MESSAGES[phone.code]);
    }
    case "email": {
      const address = value.trim().toLowerCase();
      return address.length <= MAX_EMAIL && email.safeParse(address).success
        ? { ok: true, value: address }
        : fail("isEmail", (f) => `${f} must be an email`);
    }
    case "url": {
      const url = toHttpUrl(value);
      return url !== undefined ? { ok: true, value: url } : fail("isUrl", (f) => `${f} must be an http or https URL`);
    }
  }
}

/** True when checking `value` as `type` needs the organization's default country (a national phone number). */
export function needsDefaultCountry(type: AttributeType | undefined, value: AttributeValue): boolean {
  return type === "phone_number" && typeof value === "string" && !isInternational(value);
}
