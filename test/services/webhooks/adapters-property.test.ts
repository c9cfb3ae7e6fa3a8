import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { contactCreateSchema } from "../../../src/schemas/contact";
import { ADAPTERS } from "../../../src/services/webhooks/adapters";
import { toContactInput } from "../../../src/services/webhooks/answers";

const INPUT_KEYS = new Set(contactCreateSchema.keyof().options);

/** Payload-like values: provider shapes with arbitrary leaves, and plain junk. */
const leaf = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string()));
const names = fc.constantFrom(
  "phone",
  "Phone Number",
  "email",
  "name",
  "first_name",
  "q4_fullName",
  "__proto__",
  "toString",
);
const answer = fc.record({
  type: fc.constantFrom("text", "email", "phone_number", "choice", "choices", "number", "payment", "x"),
  text: leaf,
  email: leaf,
  phone_number: leaf,
  choice: fc.record({ label: leaf }),
  choices: fc.record({ labels: fc.array(leaf) }),
  field: fc.record({ id: fc.string(), ref: names }),
});
const payload = fc.oneof(
  fc.anything(),
  fc.jsonValue(),
  fc.record({
    event_id: leaf,
    form_response: fc.record({ answers: fc.array(answer), hidden: fc.dictionary(names, leaf) }),
  }),
  fc.record({
    eventId: leaf,
    data: fc.record({
      fields: fc.array(
        fc.record({ key: names, label: names, type: fc.string(), value: leaf, options: fc.array(fc.anything()) }),
      ),
    }),
  }),
  fc.record({ payload: fc.record({ id: leaf, data: fc.dictionary(names, leaf) }) }),
  fc.record({
    submissionID: leaf,
    rawRequest: fc.oneof(fc.string(), fc.json(), fc.dictionary(fc.string(), fc.jsonValue())),
  }),
  fc.dictionary(names, fc.oneof(leaf, fc.dictionary(names, leaf))),
);
const fieldMap = fc.dictionary(
  fc.oneof(names, fc.string({ minLength: 1 })),
  fc.constantFrom("primaryPhone", "city", "gender", "channels", "customAttributes.extra"),
);

describe("adapters, on any payload", () => {
  it("never throw and only ever produce fields of POST /api/contact", () => {
    fc.assert(
      fc.property(payload, fieldMap, (p, map) => {
        for (const adapt of Object.values(ADAPTERS)) {
          const { eventId, input } = adapt(p, map);
          expect(eventId === null || typeof eventId === "string").toBe(true);
          for (const key of Object.keys(input)) expect(INPUT_KEYS.has(key as never)).toBe(true);
          contactCreateSchema.safeParse(input);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("never send null or a blank string, which an upsert would read as 'clear this field'", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ names: fc.array(names), value: leaf })), fieldMap, (answers, map) => {
        const input = toContactInput(answers, map);
        const values = [...Object.values(input), ...Object.values((input.customAttributes as object) ?? {})];
        for (const value of values) {
          expect(value).not.toBeNull();
          if (typeof value === "string") expect(value.trim()).not.toBe("");
        }
      }),
      { numRuns: 300 },
    );
  });
});
