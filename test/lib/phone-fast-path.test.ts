import { type CountryCode, ParseError, parsePhoneNumberWithError } from "libphonenumber-js/core";
import examples from "libphonenumber-js/examples.mobile.json";
import { describe, expect, it } from "vitest";
import { normalizePhone, type PhoneResult } from "../../src/lib/phone";
import json from "../../src/lib/phone-metadata.json";

type Metadata = Parameters<typeof parsePhoneNumberWithError>[2];
const metadata = json as unknown as Metadata & {
  country_calling_codes: Record<string, string[]>;
  countries: Record<string, unknown[]>;
  nonGeographic: Record<string, unknown[]>;
};

/** normalizePhone before its fast path: the library's parse + isValid for every input. */
function oracle(raw: string, defaultCountry?: string | null): PhoneResult {
  let compact = raw.replace(/[\s\-.()]/g, "");
  if (compact.startsWith("00")) compact = `+${compact.slice(2)}`;
  if (!/^\+?\d{2,20}$/.test(compact)) return { ok: false, code: "invalidPhone" };
  if (!compact.startsWith("+") && !defaultCountry) return { ok: false, code: "missingCountryCode" };
  try {
    const parsed = parsePhoneNumberWithError(compact, (defaultCountry ?? undefined) as CountryCode, metadata);
    return parsed.isValid() ? { ok: true, e164: parsed.number } : { ok: false, code: "invalidPhone" };
  } catch (err) {
    if (err instanceof ParseError) return { ok: false, code: "invalidPhone" };
    throw err;
  }
}

/** mulberry32: the same inputs on every run. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(20261201);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const digits = (length: number) => {
  let s = "";
  for (let i = 0; i < length; i++) s += String(Math.floor(random() * 10));
  return s;
};

/** A plan's national prefix (index 5 of a version 4 plan, es6/metadata.js nationalPrefix()), if any. */
function nationalPrefixOf(callingCode: string): string | undefined {
  const [country] = metadata.country_calling_codes[callingCode] as string[];
  const plan = metadata.countries[country as string] ?? metadata.nonGeographic[callingCode];
  const prefix = plan?.[5];
  return typeof prefix === "string" ? prefix : undefined;
}

/** The same digits as a person may type them: `00` for `+`, separators between groups. */
function typed(e164: string): string {
  const body = random() < 0.3 ? `00${e164.slice(1)}` : e164;
  if (random() < 0.5) return body;
  let out = "";
  for (const ch of body) out += (random() < 0.25 ? pick([" ", "-", ".", "(", ")", " - "]) : "") + ch;
  return out;
}

const DEFAULT_COUNTRIES = [undefined, null, "", "FR", "MA", "US", "GB", "ZZ"] as const;

function compare(inputs: Iterable<[string, string | null | undefined]>) {
  const mismatches: { raw: string; country: string | null | undefined; got: PhoneResult; want: PhoneResult }[] = [];
  let count = 0;
  let valid = 0;
  for (const [raw, country] of inputs) {
    count++;
    const want = oracle(raw, country);
    const got = normalizePhone(raw, country);
    if (want.ok) valid++;
    if (
      got.ok !== want.ok ||
      (got.ok ? got.e164 !== (want as typeof got).e164 : got.code !== (want as typeof got).code)
    )
      mismatches.push({ raw, country, got, want });
  }
  return { count, valid, mismatches: mismatches.slice(0, 10) };
}

describe("normalizePhone's fast path answers as the library does", () => {
  it("on the library's example numbers of every country (mobile: the only type it ships examples for), as typed and altered", () => {
    const callingCodeOf = new Map<string, string>();
    for (const [code, countries] of Object.entries(metadata.country_calling_codes))
      for (const country of countries) callingCodeOf.set(country, code);
    const inputs: [string, string | null | undefined][] = [];
    for (const [country, national] of Object.entries(examples as Record<string, string>)) {
      const code = callingCodeOf.get(country);
      if (!code) continue;
      const prefix = nationalPrefixOf(code) ?? "";
      for (const n of [national, `${prefix}${national}`]) {
        inputs.push(
          [`+${code}${n}`, undefined],
          [`00${code}${n}`, country],
          [typed(`+${code}${n}`), pick(DEFAULT_COUNTRIES)],
        );
        inputs.push([n, country], [`0${n}`, country]);
        // The same number with its last 1–6 digits changed: often still valid (of any type), sometimes not.
        for (let k = 1; k <= 6; k++)
          for (let i = 0; i < 10; i++) inputs.push([`+${code}${n.slice(0, -k)}${digits(k)}`, pick(DEFAULT_COUNTRIES)]);
      }
    }
    const { count, valid, mismatches } = compare(inputs);
    expect(mismatches).toEqual([]);
    expect(count).toBeGreaterThan(10_000);
    expect(valid).toBeGreaterThan(count / 4);
  });

  it("on 127,000 seeded random inputs: every calling code with 0–18 digits, national prefixes, 00, separators, national numbers", () => {
    const codes = Object.keys(metadata.country_calling_codes);
    function* inputs(): Generator<[string, string | null | undefined]> {
      for (const code of codes) {
        const prefix = nationalPrefixOf(code);
        for (let length = 0; length <= 18; length++) {
          for (let i = 0; i < 30; i++) {
            // A third start with the plan's national prefix (or 0 and 1, which many plans strip), the rest with anything.
            const start = i % 3 === 0 ? (prefix ?? pick(["0", "1"])) : i % 3 === 1 ? pick(["0", "1", "8", "9"]) : "";
            const national = (start + digits(length)).slice(0, length);
            const e164 = `+${code}${national}`;
            yield [i % 4 === 0 ? typed(e164) : e164, i % 2 === 0 ? undefined : pick(DEFAULT_COUNTRIES)];
          }
        }
      }
      // Numbers starting with digits that are no calling code (or with 0).
      for (let i = 0; i < 2000; i++) yield [`+${digits(1 + Math.floor(random() * 19))}`, undefined];
      // National numbers with a default country.
      for (let i = 0; i < 8000; i++) {
        const country = pick(["MA", "FR", "US", "GB"]);
        const national = `${pick(["", "0", "1", "00"])}${digits(2 + Math.floor(random() * 14))}`;
        yield [i % 3 === 0 ? typed(`+${national}`).replace(/^(00|\+)/, "") : national, country];
      }
    }
    const { count, valid, mismatches } = compare(inputs());
    expect(mismatches).toEqual([]);
    expect(count).toBeGreaterThan(120_000);
    expect(valid).toBeGreaterThan(2_000);
  });
});
