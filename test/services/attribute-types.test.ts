import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AttributeValue } from "../../src/schemas/contact";
import { ATTRIBUTE_TYPES, type AttributeType } from "../../src/schemas/custom-attribute";
import { checkAttributeValue, needsDefaultCountry } from "../../src/services/attribute-types";

const ok = (type: AttributeType, value: AttributeValue, country?: string) => {
  const result = checkAttributeValue(type, value, country);
  if (!result.ok) throw new Error(`expected ok, got ${result.code}`);
  return result.value;
};
const codeOf = (type: AttributeType, value: AttributeValue, country?: string) => {
  const result = checkAttributeValue(type, value, country);
  return result.ok ? "ok" : result.code;
};

describe("checkAttributeValue", () => {
  it("lets null through for every type (null removes the key)", () => {
    for (const type of ATTRIBUTE_TYPES) expect(ok(type, null)).toBeNull();
  });

  it("refuses an array for every type: a typed attribute holds one value", () => {
    for (const type of ATTRIBUTE_TYPES) expect(codeOf(type, ["x"])).toBe("attributeType");
  });

  it("text: a string of at most 1024 characters, stored as sent", () => {
    expect(ok("text", "  hello ")).toBe("  hello ");
    expect(ok("text", "x".repeat(1024))).toHaveLength(1024);
    expect(codeOf("text", "x".repeat(1025))).toBe("maxLength");
    expect(codeOf("text", 30)).toBe("attributeType");
    expect(codeOf("text", true)).toBe("attributeType");
  });

  it("number: a finite number only", () => {
    expect(ok("number", 30)).toBe(30);
    expect(ok("number", -1.5)).toBe(-1.5);
    expect(codeOf("number", "30")).toBe("attributeType");
    expect(codeOf("number", "thirty")).toBe("attributeType");
    expect(codeOf("number", Number.POSITIVE_INFINITY)).toBe("attributeType");
    expect(codeOf("number", Number.NaN)).toBe("attributeType");
    expect(codeOf("number", false)).toBe("attributeType");
  });

  it("boolean: true or false only", () => {
    expect(ok("boolean", true)).toBe(true);
    expect(ok("boolean", false)).toBe(false);
    expect(codeOf("boolean", "true")).toBe("attributeType");
    expect(codeOf("boolean", 1)).toBe("attributeType");
  });

  it("date: a real calendar day stays as sent", () => {
    expect(ok("date", "2024-02-29")).toBe("2024-02-29");
    expect(ok("date", "2000-02-29")).toBe("2000-02-29");
    expect(ok("date", "0001-01-01")).toBe("0001-01-01");
    for (const bad of [
      "2023-02-29",
      "1900-02-29",
      "2024-04-31",
      "2024-13-01",
      "2024-00-10",
      "2024-01-00",
      "2024-1-01",
    ]) {
      expect(codeOf("date", bad), bad).toBe("isDate");
    }
  });

  it("date: a date-time with a zone becomes UTC with milliseconds", () => {
    expect(ok("date", "2024-01-01T10:00:00Z")).toBe("2024-01-01T10:00:00.000Z");
    expect(ok("date", "2024-01-01T10:00:00.5+01:00")).toBe("2024-01-01T09:00:00.500Z");
    expect(ok("date", "2024-01-01T00:30-02:30")).toBe("2024-01-01T03:00:00.000Z");
    expect(ok("date", "2024-12-31T23:59:59.123456789-05:00")).toBe("2025-01-01T04:59:59.123Z");
    for (const bad of [
      "2024-01-01T10:00:00", // no zone
      "2024-01-01 10:00:00Z",
      "2024-01-01T24:00:00Z",
      "2024-01-01T10:60:00Z",
      "2024-01-01T10:00:60Z",
      "2024-01-01T10:00:00+0100",
      "2024-01-01T10:00:00+24:00",
      "2023-02-29T10:00:00Z",
      "9999-12-31T23:00:00-05:00", // year 10000 in UTC
      "yesterday",
      "",
    ]) {
      expect(codeOf("date", bad), bad).toBe("isDate");
    }
    expect(codeOf("date", 1704067200000)).toBe("attributeType");
  });

  it("phone_number: normalised to E.164 like primaryPhone, national numbers need the default country", () => {
    expect(ok("phone_number", "+212 6-12.34(56)78")).toBe("+212612345678");
    expect(ok("phone_number", "00212612345678")).toBe("+212612345678");
    expect(ok("phone_number", "0612345678", "MA")).toBe("+212612345678");
    expect(codeOf("phone_number", "0612345678")).toBe("missingCountryCode");
    expect(codeOf("phone_number", "+2126")).toBe("invalidPhone");
    expect(codeOf("phone_number", `+212612345678${" ".repeat(30)}`)).toBe("invalidPhone");
    expect(codeOf("phone_number", 212612345678)).toBe("attributeType");
  });

  it("email: valid, lower-cased, trimmed", () => {
    expect(ok("email", " John@Example.COM ")).toBe("john@example.com");
    expect(codeOf("email", "john@")).toBe("isEmail");
    expect(codeOf("email", `${"a".repeat(250)}@x.io`)).toBe("isEmail");
    expect(codeOf("email", false)).toBe("attributeType");
  });

  it("url: http and https only", () => {
    expect(ok("url", "https://example.com/a?b=c")).toBe("https://example.com/a?b=c");
    expect(ok("url", " http://example.com ")).toBe("http://example.com");
    for (const bad of [
      "ftp://example.com",
      "javascript:alert(1)",
      "mailto:a@b.c",
      "example.com",
      "https://",
      "http:/x y",
    ]) {
      expect(codeOf("url", bad), bad).toBe("isUrl");
    }
  });

  it("messages name the field and the type, never the value", () => {
    const secret = "+33612345678-secret@example.com";
    for (const type of ATTRIBUTE_TYPES) {
      const result = checkAttributeValue(type, type === "text" ? secret.repeat(40) : ["x", secret]);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        const message = result.message("customAttributes.x");
        expect(message).toContain("customAttributes.x");
        expect(message).not.toContain(secret);
      }
    }
    const bad = checkAttributeValue("number", secret);
    expect(!bad.ok && bad.message("f")).toBe("f must be a finite number: the attribute has type number");
  });

  it("never throws, and what it accepts has the JSON kind of its type", () => {
    const scalar = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom("2024-02-29", "2024-01-01T10:00:00Z", "+212612345678", "0612345678", "a@b.io", "https://x.io"),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
    );
    const value: fc.Arbitrary<AttributeValue> = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }));
    fc.assert(
      fc.property(fc.constantFrom(...ATTRIBUTE_TYPES), value, fc.constantFrom(undefined, null, "MA"), (type, v, c) => {
        const result = checkAttributeValue(type, v, c);
        if (!result.ok || result.value === null) return;
        const kind = { number: "number", boolean: "boolean" }[type as string] ?? "string";
        expect(typeof result.value).toBe(kind);
      }),
      { numRuns: 3000 },
    );
  });
});

describe("needsDefaultCountry", () => {
  it("only for a national number of a phone_number attribute", () => {
    expect(needsDefaultCountry("phone_number", "0612345678")).toBe(true);
    expect(needsDefaultCountry("phone_number", "+212612345678")).toBe(false);
    expect(needsDefaultCountry("text", "0612345678")).toBe(false);
    expect(needsDefaultCountry(undefined, "0612345678")).toBe(false);
    expect(needsDefaultCountry("phone_number", null)).toBe(false);
  });
});
