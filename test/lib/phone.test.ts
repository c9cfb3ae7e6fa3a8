import { describe, expect, it } from "vitest";
import { normalizePhone } from "../../src/lib/phone";

describe("normalizePhone", () => {
  it.each([
    ["+212612345678", null, "+212612345678"],
    ["00212 6-12.34(56)78", null, "+212612345678"],
    ["0612345678", "MA", "+212612345678"],
    ["06 12 34 56 78", "FR", "+33612345678"],
    ["+1 (415) 555-2671", "FR", "+14155552671"],
    ["(415) 555-2671", "US", "+14155552671"],
  ])("%s (country %s) → %s", (raw, country, e164) => {
    expect(normalizePhone(raw, country)).toEqual({ ok: true, e164 });
  });

  it.each([
    ["0612345678", null, "missingCountryCode"],
    ["+212 61234", null, "invalidPhone"],
    ["+999 612345678", null, "invalidPhone"],
    ["+33 6 12 34 56 78 ext 2", null, "invalidPhone"],
    ["+", null, "invalidPhone"],
    ["0612345678", "ZZ", "invalidPhone"],
  ])("%s (country %s) → %s", (raw, country, code) => {
    expect(normalizePhone(raw, country)).toEqual({ ok: false, code });
  });
});
