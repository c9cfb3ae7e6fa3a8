import {
  ParseError as MaxParseError,
  getCountries as maxCountries,
  parsePhoneNumberWithError as maxParse,
} from "libphonenumber-js/max";
import max from "libphonenumber-js/metadata.max.json";
import { describe, expect, it } from "vitest";
import { type PhoneMetadata, withoutFormatting } from "../../scripts/lib/phone-metadata";
import { isSupportedCountry, normalizePhone, supportedCountries } from "../../src/lib/phone";
import metadata from "../../src/lib/phone-metadata.json";

/** normalizePhone as it was, on the package's full metadata: the reference. */
function withFullMetadata(raw: string, country?: string): string {
  let compact = raw.replace(/[\s\-.()]/g, "");
  if (compact.startsWith("00")) compact = `+${compact.slice(2)}`;
  if (!/^\+?\d{2,20}$/.test(compact)) return "invalidPhone";
  if (!compact.startsWith("+") && !country) return "missingCountryCode";
  try {
    const parsed = maxParse(compact, country as Parameters<typeof maxParse>[1]);
    return parsed.isValid() ? parsed.number : "invalidPhone";
  } catch (err) {
    if (err instanceof MaxParseError) return "invalidPhone";
    throw err;
  }
}

const answer = (raw: string, country?: string) => {
  const result = normalizePhone(raw, country);
  return result.ok ? result.e164 : result.code;
};

/** A small deterministic generator (mulberry32): the same numbers on every run. */
function digits(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return (n: number) => Array.from({ length: n }, () => Math.floor(next() * 10)).join("");
}

describe("the phone metadata of the Worker (src/lib/phone-metadata.json)", () => {
  it("is the installed libphonenumber-js's full metadata without its formatting data (npm run phone-metadata)", () => {
    expect(metadata).toEqual(withoutFormatting(max as unknown as PhoneMetadata));
  });

  it("answers exactly as the full metadata: every country, national and international, valid and not", () => {
    const random = digits(18);
    const full = max as unknown as PhoneMetadata;
    let valid = 0;
    let compared = 0;
    for (const country of maxCountries()) {
      const [callingCode, , , lengths] = full.countries[country] as [string, string, string, number[]];
      for (const length of [...new Set([...lengths, Math.min(...lengths) - 1, Math.max(...lengths) + 1])]) {
        for (let i = 0; i < 12; i++) {
          // A leading digit that the country's mobile and fixed ranges often start with, then random digits.
          const national = `${(i % 9) + 1}${random(Math.max(length - 1, 1))}`;
          for (const [raw, defaultCountry] of [
            [`+${callingCode}${national}`, undefined],
            [`00${callingCode} ${national}`, undefined],
            [national, country],
            [`0${national}`, country],
          ] as const) {
            const expected = withFullMetadata(raw, defaultCountry);
            expect(answer(raw, defaultCountry), `${raw} (${defaultCountry ?? "no country"})`).toBe(expected);
            compared++;
            if (expected.startsWith("+")) valid++;
          }
        }
      }
    }
    for (const callingCode of Object.keys(full.nonGeographic ?? {})) {
      for (let length = 6; length <= 12; length++) {
        const raw = `+${callingCode}${random(length)}`;
        expect(answer(raw), raw).toBe(withFullMetadata(raw));
        compared++;
      }
    }
    // Enough of both answers that the comparison means something.
    expect(compared).toBeGreaterThan(20_000);
    expect(valid).toBeGreaterThan(2_000);
  });

  it("knows the same countries", () => {
    expect(supportedCountries()).toEqual(maxCountries());
    expect(isSupportedCountry("MA")).toBe(true);
    expect(isSupportedCountry("ZZ")).toBe(false);
  });
});
