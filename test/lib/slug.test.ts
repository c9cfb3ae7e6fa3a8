import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { slugify } from "../../src/lib/slug";
import { ATTRIBUTE_NAME } from "../../src/schemas/contact";

describe("slugify", () => {
  it.each([
    ["Customer Age", "customer_age"],
    ["customer-age", "customer_age"],
    ["  Customer   Age  ", "customer_age"],
    ["Âge du client", "age_du_client"],
    ["Crème Brûlée", "creme_brulee"],
    ["Straße", "strasse"],
    ["Ærø Øresund Łódź", "aero_oresund_lodz"],
    ["ﬁle Ｎａｍｅ", "file_name"],
    ["İstanbul", "istanbul"],
    ["a -- b __ c", "a_b_c"],
    ["__lead & trail!!", "lead_trail"],
    ["2nd phone", "attr_2nd_phone"],
    ["123", "attr_123"],
    ["_9 lives", "attr_9_lives"],
  ])("%j → %j", (displayName, slug) => {
    expect(slugify(displayName)).toBe(slug);
  });

  it("never returns an empty name: nothing Latin left gives attr_ and a stable hash", () => {
    const arabic = slugify("العمر");
    expect(arabic).toMatch(/^attr_[0-9a-f]{8}$/);
    expect(slugify("العمر")).toBe(arabic);
    expect(slugify("المدينة")).not.toBe(arabic);
    expect(slugify("!!!")).toMatch(/^attr_[0-9a-f]{8}$/);
  });

  it("cuts at 64 characters without leaving a trailing _", () => {
    expect(slugify("a".repeat(80))).toBe("a".repeat(64));
    expect(slugify(`${"a".repeat(63)} b`)).toBe("a".repeat(63));
    expect(slugify(`9${"b".repeat(70)}`)).toHaveLength(64);
  });

  it("always yields a valid customAttributes key, and is idempotent", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 80 }), (displayName) => {
        const slug = slugify(displayName);
        expect(slug).toMatch(ATTRIBUTE_NAME);
        expect(slugify(slug)).toBe(slug);
      }),
      { numRuns: 2000 },
    );
  });
});
