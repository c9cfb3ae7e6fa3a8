import {
  type CountryCode,
  getCountries,
  isSupportedCountry as isCountry,
  Metadata,
  type MetadataJson,
  ParseError,
  PhoneNumber,
  parsePhoneNumberWithError,
} from "libphonenumber-js/core";
import { phoneMetadata as metadata } from "./phone-metadata";

/** The ISO 3166-1 alpha-2 codes that phones can be read for (a default country must be one). */
export const supportedCountries = (): CountryCode[] => getCountries(metadata());
export const isSupportedCountry = (country: string): country is CountryCode =>
  isCountry(country as CountryCode, metadata());

/** What a caller may send: digits with spaces, dashes, dots, brackets, and `+` or `00` in front. */
const SEPARATORS = /[\s\-.()]/g;
const SHAPE = /^\+?\d{2,20}$/;

export type PhoneResult = { ok: true; e164: string } | { ok: false; code: "invalidPhone" | "missingCountryCode" };

/** The parts of the library's `Metadata` that its own parser reads (es6/metadata.js), untyped in its .d.ts. */
type PlanLookup = {
  hasCallingCode(code: string): boolean | undefined;
  getCountryCodesForCallingCode(code: string): string[] | undefined;
  selectNumberingPlan(code: string): void;
  numberingPlan: { nationalPrefixForParsing(): string | undefined };
};

/**
 * For `+…` numbers whose calling code the parser would read as is, the calling code and its plan's
 * national prefix pattern; null when the library must decide. Keyed by the number's first three digits,
 * built on first use (module top level is startup CPU).
 */
type FastPlan = { callingCode: string; nationalPrefix: RegExp | undefined } | null;
const fastPlans = new Map<string, FastPlan>();

function fastPlan(firstDigits: string): FastPlan {
  let plan = fastPlans.get(firstDigits);
  if (plan === undefined) {
    plan = findFastPlan(firstDigits);
    fastPlans.set(firstDigits, plan);
  }
  return plan;
}

function findFastPlan(firstDigits: string): FastPlan {
  // es6/helpers/extractCountryCallingCode.js: no calling code after "+0"; else the shortest prefix of 1–3 digits the metadata knows.
  if (firstDigits.startsWith("0")) return null;
  const lookup = new Metadata(metadata()) as unknown as PlanLookup;
  for (let length = 1; length <= 3; length++) {
    const callingCode = firstDigits.slice(0, length);
    if (!lookup.hasCallingCode(callingCode)) continue;
    // Shared codes (+1, +7, +44, +212, …): the parser picks the country by the national number, then re-reads it.
    // Non-geographic ones (+800, …) have no country list: parse and isValid both use the code's own plan.
    if ((lookup.getCountryCodesForCallingCode(callingCode)?.length ?? 1) > 1) return null;
    lookup.selectNumberingPlan(callingCode);
    const prefix = lookup.numberingPlan.nationalPrefixForParsing();
    // The pattern es6/helpers/extractNationalNumberFromPossiblyIncompleteNumber.js builds.
    return { callingCode, nationalPrefix: prefix ? new RegExp(`^(?:${prefix})`) : undefined };
  }
  return null;
}

/** The constructor parse calls (es6/parse.js); the .d.ts only declares the one that takes a whole E.164 number. */
const PhoneNumberOfParts = PhoneNumber as unknown as new (
  callingCode: string,
  nationalNumber: string,
  metadata: MetadataJson,
) => PhoneNumber;

/**
 * The answer of the library's parse + isValid for `+<digits>`, without the parse (most of its cost: options
 * spread, RFC 3966 and extension extraction, per-character re-reading), when the parse would only split off the
 * calling code: one country for it, no national prefix to strip, a length parse accepts (MIN/MAX_LENGTH_FOR_NSN,
 * es6/constants.js). Undefined otherwise; test/lib/phone-fast-path.test.ts compares it to the library.
 */
function fastInternational(compact: string): PhoneResult | undefined {
  if (compact.length < 4) return undefined;
  const plan = fastPlan(compact.slice(1, 4));
  if (!plan) return undefined;
  const national = compact.slice(1 + plan.callingCode.length);
  if (national.length < 2 || national.length > 17 || plan.nationalPrefix?.test(national)) return undefined;
  return new PhoneNumberOfParts(plan.callingCode, national, metadata()).isValid()
    ? { ok: true, e164: `+${plan.callingCode}${national}` }
    : { ok: false, code: "invalidPhone" };
}

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
  if (compact.startsWith("+")) {
    // parse throws INVALID_COUNTRY for a default country the metadata lacks (es6/parse.js, Metadata.hasCountry), even for `+…`.
    const fast = !defaultCountry || isSupportedCountry(defaultCountry) ? fastInternational(compact) : undefined;
    if (fast) return fast;
  } else if (!defaultCountry) return { ok: false, code: "missingCountryCode" };
  try {
    const parsed = parsePhoneNumberWithError(compact, (defaultCountry ?? undefined) as CountryCode, metadata());
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
