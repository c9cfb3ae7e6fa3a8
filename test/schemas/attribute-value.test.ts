// `attributeValue` is checked by hand for speed (src/schemas/contact.ts): it must accept, refuse and
// report exactly as the zod union it replaced, which this file keeps as the oracle.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { fieldErrorsOf } from "../../src/lib/validation";
import { attributeValue } from "../../src/schemas/contact";
import { ATTRIBUTE_LIMITS } from "../../src/schemas/contact-fields";

const scalar = z.union([z.string().max(ATTRIBUTE_LIMITS.stringLength), z.number(), z.boolean(), z.null()]);
const union = z.union([scalar, z.array(scalar).max(ATTRIBUTE_LIMITS.arrayItems)]);

// Within a record, as in `customAttributes`: the paths then start at the key.
const byHand = z.record(z.string(), attributeValue);
const oracle = z.record(z.string(), union);

/** What a caller can observe of a parse: the value, or the issues and the field errors made of them. */
function outcome(schema: z.ZodType, value: unknown) {
  const result = schema.safeParse({ a: value });
  if (result.success) return { data: result.data };
  // The nested `errors` of an `invalid_union` is not shown anywhere: the field error is one fixed message.
  const issues = result.error.issues.map((issue) => ({ ...issue, errors: undefined }));
  return { issues, fieldErrors: fieldErrorsOf(result.error, ["customAttributes"]) };
}

const long = "x".repeat(ATTRIBUTE_LIMITS.stringLength + 1);
const sparse = [1, 2];
sparse[3] = 4;
const EDGES: unknown[] = [
  "",
  "x".repeat(ATTRIBUTE_LIMITS.stringLength),
  "😀".repeat(ATTRIBUTE_LIMITS.stringLength / 2 + 1),
  long,
  0,
  -0,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  true,
  false,
  null,
  undefined,
  {},
  { b: 1 },
  new Date(0),
  [],
  [1, "a", null, true],
  Array(ATTRIBUTE_LIMITS.arrayItems).fill("a"),
  Array(ATTRIBUTE_LIMITS.arrayItems + 1).fill("a"),
  Array(ATTRIBUTE_LIMITS.arrayItems + 1).fill(long),
  [long, "a", long],
  [long, {}],
  [[]],
  [Number.NaN],
  [undefined],
  sparse,
  Array(ATTRIBUTE_LIMITS.arrayItems + 1).fill({}),
];

// Strings around the limit, counted in code points: pairs count one, lone surrogates one each.
const nearLimit = fc
  .tuple(fc.nat({ max: 1100 }), fc.constantFrom("x", "😀", "\ud800", "😀\udc00"))
  .map(([n, unit]) => unit.repeat(Math.ceil(n / unit.length)));
const item = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  nearLimit,
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.object({ maxDepth: 1 }),
);
const value = fc.oneof(item, fc.array(item, { maxLength: 60 }), fc.array(nearLimit, { maxLength: 60 }));

describe("attributeValue", () => {
  it.each(EDGES.map((v, i) => [i, v]))("answers edge case %i as zod's union did", (_, v) => {
    expect(outcome(byHand, v)).toEqual(outcome(oracle, v));
  });

  it("answers any value as zod's union did", () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(outcome(byHand, v)).toEqual(outcome(oracle, v));
      }),
      { numRuns: 2000 },
    );
  });
});
