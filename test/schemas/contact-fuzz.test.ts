import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { api, createTenant } from "../helpers";

const FIELDS = [
  "primaryPhone",
  "firstName",
  "lastName",
  "fullName",
  "primaryEmail",
  "address",
  "city",
  "state",
  "zip",
  "occupation",
  "preferredChannel",
  "gender",
  "channels",
  "customAttributes",
];
const PROTOTYPE_KEYS = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf"];

// Hand-written arbitraries (zod-fast-check does not support zod 4): inputs a hostile or buggy client could send.
const oddString = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme" }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "\uFEFF+212612345678",
    "𝟎𝟔𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖",
    "+٢١٢٦١٢٣٤٥٦٧٨",
    "0".repeat(31),
    "+".repeat(32),
  ),
  fc.nat({ max: 3000 }).map((n) => "x".repeat(n)),
  fc.stringMatching(/^\+?[0-9 ().-]{0,40}$/),
);
const anyValue = fc.oneof(fc.jsonValue({ maxDepth: 3 }), oddString);
const attributeKey = fc.oneof(
  fc.constantFrom(...PROTOTYPE_KEYS),
  fc.stringMatching(/^[a-z][a-z0-9_]{0,70}$/),
  fc.string(),
);
const contactLike = fc.record(
  {
    ...Object.fromEntries(FIELDS.map((f) => [f, anyValue])),
    channels: fc.oneof(anyValue, fc.array(anyValue, { maxLength: 25 })),
    customAttributes: fc.oneof(anyValue, fc.dictionary(attributeKey, anyValue, { maxKeys: 110 })),
  },
  { requiredKeys: [] },
);
const withPrototypeKeys = fc
  .tuple(contactLike, fc.constantFrom(...PROTOTYPE_KEYS), anyValue)
  .map(
    ([o, k, v]) =>
      `${JSON.stringify(o).slice(0, -1)}${Object.keys(o).length ? "," : ""}${JSON.stringify(k)}:${JSON.stringify(v)}}`,
  );
const body = fc.oneof(
  contactLike.map((o) => JSON.stringify(o)),
  withPrototypeKeys,
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string(),
);

describe("no body yields a 5xx", () => {
  it("POST /api/contact", async () => {
    const t = await createTenant({ defaultCountry: "MA" });
    await fc.assert(
      fc.asyncProperty(body, async (text) => {
        const res = await api("/api/contact", {
          method: "POST",
          key: t.key,
          body: text,
          headers: { "Content-Type": "application/json" },
        });
        expect(res.status).toBeLessThan(500);
        expect([201, 400, 409, 413]).toContain(res.status);
      }),
      { numRuns: 300 },
    );
  });

  it("POST /api/contact/upsert", async () => {
    const t = await createTenant();
    await fc.assert(
      fc.asyncProperty(fc.array(body, { maxLength: 5 }), async (items) => {
        const res = await api("/api/contact/upsert", {
          method: "POST",
          key: t.key,
          body: `{"data":[${items.join(",")}]}`,
          headers: { "Content-Type": "application/json" },
        });
        expect([200, 400]).toContain(res.status);
      }),
      { numRuns: 150 },
    );
  });
});
