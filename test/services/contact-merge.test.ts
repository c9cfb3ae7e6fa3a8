import { describe, expect, it } from "vitest";
import { deriveFullName } from "../../src/services/contact-input";
import { laterThan, mergeContact } from "../../src/services/contact-merge";
import { newContactRow } from "../../src/services/contacts";

const T = "2026-01-01T00:00:00.000Z";
const row = newContactRow("org", { primaryPhone: "+212612345678", firstName: "John", lastName: "Doe" }, new Date(T));

describe("laterThan", () => {
  it("is now when now is later, else one millisecond after the previous time", () => {
    expect(laterThan(T, "2026-01-01T00:00:05.000Z")).toBe("2026-01-01T00:00:05.000Z");
    expect(laterThan(T, T)).toBe("2026-01-01T00:00:00.001Z");
    expect(laterThan(T, "2025-12-31T23:59:59.999Z")).toBe("2026-01-01T00:00:00.001Z");
  });
});

describe("mergeContact", () => {
  it("advances updatedAt even when merged in the millisecond of the last write (so write guards see it)", () => {
    const once = mergeContact(row, { city: "Fes" }, T);
    const twice = mergeContact(once, { city: "Rabat" }, T);
    expect(once.updatedAt > row.updatedAt).toBe(true);
    expect(twice.updatedAt > once.updatedAt).toBe(true);
    expect(twice.createdAt).toBe(T);
  });

  it("overwrites what is present, keeps what is absent, clears what is null", () => {
    const merged = mergeContact({ ...row, city: "Fes", zip: "30000" }, { city: null, occupation: "Pilot" }, T);
    expect(merged).toMatchObject({ city: null, zip: "30000", occupation: "Pilot", firstName: "John" });
  });
});

describe("deriveFullName", () => {
  it("cuts at 64 code points, never inside a character", () => {
    const emoji = "\u{1F600}";
    // The 64th code point is the emoji, whose two UTF-16 units are the 64th and 65th.
    const derived = deriveFullName("a".repeat(60), `bb${emoji}c`) as string;
    // Compared as facts, not strings: a failure message holding a lone surrogate breaks Vitest's reporter.
    expect({ wellFormed: derived.isWellFormed(), codePoints: [...derived].length }).toEqual({
      wellFormed: true,
      codePoints: 64,
    });
    expect(derived === `${"a".repeat(60)} bb${emoji}`).toBe(true);
  });
});
