import { type CountryCode, ParseError, parsePhoneNumberWithError } from "libphonenumber-js/max";

/** What a caller may send: digits with spaces, dashes, dots, brackets, and `+` or `00` in front. */
const SEPARATORS = /[\s\-.()]/g;
const SHAPE = /^\+?\d{2,20}$/;

export type PhoneResult = { ok: true; e164: string } | { ok: false; code: "invalidPhone" | "missingCountryCode" };

/** True when the number carries its own country code (`+…` or `00…`). */
export function isInternational(raw: string): boolean {
  const compact = raw.replace(SEPARATORS, "");
  return compact.startsWith("+") || compact.startsWith("00");
}

/**
 * Parses a phone number as a person types it and returns it in E.164.
 * A national number needs `defaultCountry`; without one the answer is `missingCountryCode`.
 *
 * @example normalizePhone("00212 6-12.34(56)78") // { ok: true, e164: "+212612345678" }
 * @example normalizePhone("0612345678", "MA")    // { ok: true, e164: "+212612345678" }
 */
export function normalizePhone(raw: string, defaultCountry?: string | null): PhoneResult {
  let compact = raw.replace(SEPARATORS, "");
  if (compact.startsWith("00")) compact = `+${compact.slice(2)}`;
  if (!SHAPE.test(compact)) return { ok: false, code: "invalidPhone" };
  if (!compact.startsWith("+") && !defaultCountry) return { ok: false, code: "missingCountryCode" };
  try {
    const parsed = parsePhoneNumberWithError(compact, defaultCountry as CountryCode | undefined);
    return parsed.isValid() ? { ok: true, e164: parsed.number } : { ok: false, code: "invalidPhone" };
  } catch (err) {
    if (err instanceof ParseError) return { ok: false, code: "invalidPhone" };
    throw err;
  }
}

export const PHONE_MESSAGES = {
  invalidPhone: (field: string) => `${field} must be a valid phone number`,
  missingCountryCode: (field: string) =>
    `${field} has no country code: send it in international format (+<country code>…) or set a default country for the organization`,
} as const;
