import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { idParamSchema } from "../../src/schemas/common";
import { CONTACT_SORT_FIELDS, contactListQuerySchema } from "../../src/schemas/contact-query";

const KEYS = [
  "page",
  "limit",
  "search",
  "sortBy",
  "sortOrder",
  "cursor",
  "updatedAfter",
  "primaryPhone",
  "primaryEmail",
];

/** Query values as Hono hands them over: a string, or an array of strings when repeated. */
const value = fc.oneof(
  fc.string({ maxLength: 120 }),
  fc.integer({ min: -5, max: 1_000 }).map(String),
  fc.constantFrom(...CONTACT_SORT_FIELDS, "asc", "desc", "", " 1", "1.0", "1e1", "0x1", "Infinity", "NaN"),
  fc.array(fc.string({ maxLength: 5 }), { minLength: 2, maxLength: 3 }),
);
const query = fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 10 })), value, { maxKeys: 6 });

describe("contactListQuerySchema", () => {
  it("accepts only what the contract allows, and never throws", () => {
    fc.assert(
      fc.property(query, (q) => {
        const result = contactListQuerySchema.safeParse(q);
        const unknown = Object.keys(q).some((k) => !KEYS.includes(k));
        if (unknown) expect(result.success).toBe(false);
        if (!result.success) return;
        const { page, limit, search, sortBy, sortOrder } = result.data;
        expect(page === undefined || (Number.isSafeInteger(page) && page >= 1)).toBe(true);
        expect(Number.isInteger(limit) && limit >= 1 && limit <= 100).toBe(true);
        expect(search === undefined || (search.length >= 1 && search.length <= 100)).toBe(true);
        expect(CONTACT_SORT_FIELDS).toContain(sortBy);
        expect(["asc", "desc"]).toContain(sortOrder);
      }),
      { numRuns: 2_000 },
    );
  });

  it("reads plain digits as numbers and nothing else", () => {
    expect(contactListQuerySchema.parse({ page: "007", limit: "100" })).toMatchObject({ page: 7, limit: 100 });
    for (const page of [" 1", "1.0", "1e1", "0x1", "+1", "Infinity", "99999999999999999"]) {
      expect(contactListQuerySchema.safeParse({ page }).success, page).toBe(false);
    }
  });
});

describe("idParamSchema", () => {
  it("accepts UUIDs in either case and answers them in lower case", () => {
    fc.assert(
      fc.property(fc.uuid(), (id) => {
        expect(idParamSchema.parse({ id: id.toUpperCase() })).toEqual({ id: id.toLowerCase() });
      }),
    );
  });

  it("refuses anything else", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (id) => {
        fc.pre(!/^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(id));
        expect(idParamSchema.safeParse({ id }).success).toBe(false);
      }),
    );
  });
});
