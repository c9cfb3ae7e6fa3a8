// `textOrNull` is one hand-written check for speed (src/schemas/common.ts): it must accept, refuse,
// normalise and report exactly as the zod chain it replaced, which this file keeps as the oracle.
// (Its document, the chain's: test/openapi/document.test.ts and the conformance tests.)
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { fieldErrorsOf } from "../../src/lib/validation";
import { text, textOrNull } from "../../src/schemas/common";

const MAX = 8;
const blankToNull = (v: unknown) => (typeof v === "string" && v.trim() === "" ? null : v);
const chain = z.preprocess(blankToNull, text(MAX).nullable());

// As the contact's fields use it (optional, in a strict object), and as a required key (the
// attribute update's `description`), where an absent key must still be refused as before.
const shapes = {
  optional: (s: z.ZodType) => z.strictObject({ a: s.optional() }),
  required: (s: z.ZodType) => z.strictObject({ a: s }),
};

/** What a caller can observe of a parse: the value, or the issues and the field errors made of them. */
function outcome(schema: z.ZodType, body: unknown) {
  const result = schema.safeParse(body);
  if (result.success) return { data: result.data };
  return { issues: result.error.issues, fieldErrors: fieldErrorsOf(result.error, ["data", 0]) };
}

const EDGES: unknown[] = [
  "Ada",
  "  Ada  ",
  "",
  "   ",
  "\t\n ",
  "x".repeat(MAX),
  ` ${"x".repeat(MAX)} `,
  "x".repeat(MAX + 1),
  "😀".repeat(MAX),
  "😀".repeat(MAX + 1),
  "😀".repeat(MAX / 2 + 1),
  "\ud800",
  " \udc00 ",
  "a\u0000b",
  "a\u0001b",
  "\u007f",
  null,
  0,
  1.5,
  true,
  [],
  ["a"],
  {},
  new Date(0),
];

const value = fc.oneof(
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.string({ unit: fc.constantFrom(" ", "\t", "x", "😀", "\ud800", "\udc00", "\u0000", "\u001f"), maxLength: 14 }),
  fc.constant(null),
  fc.double(),
  fc.boolean(),
  fc.array(fc.string(), { maxLength: 2 }),
  fc.object({ maxDepth: 1 }),
);

describe.each(Object.entries(shapes))("textOrNull, key %s", (_, shape) => {
  const byHand = shape(textOrNull(MAX));
  const oracle = shape(chain);

  it.each(EDGES.map((v, i) => [i, v]))("answers edge case %i as the zod chain did", (_, v) => {
    expect(outcome(byHand, { a: v })).toEqual(outcome(oracle, { a: v }));
  });

  it("answers an absent key as the zod chain did", () => {
    expect(outcome(byHand, {})).toEqual(outcome(oracle, {}));
  });

  it("answers any value as the zod chain did", () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(outcome(byHand, { a: v })).toEqual(outcome(oracle, { a: v }));
      }),
      { numRuns: 3000 },
    );
  });
});

it("counts code points, not UTF-16 units, for both limits of text()", () => {
  const rule = text(4, { min: 3 });
  expect(rule.safeParse("😀😀😀😀").success).toBe(true);
  expect(rule.safeParse("😀😀😀😀😀").error?.issues[0]).toMatchObject({ code: "too_big", maximum: 4 });
  expect(rule.safeParse("😀😀😀").success).toBe(true);
  expect(rule.safeParse("😀😀").error?.issues[0]).toMatchObject({ code: "too_small", minimum: 3 });
});
