import { describe, expect, it } from "vitest";
import { fieldErrorsOf } from "../../src/lib/validation";
import { contactCreateSchema } from "../../src/schemas/contact";

/** The field errors of a create body, as the envelope would carry them. */
function errorsOf(body: unknown) {
  const result = contactCreateSchema.safeParse(body);
  if (result.success) return [];
  return fieldErrorsOf(result.error).map(({ path, code, message }) => ({ path, code, message }));
}

// The mapping reads zod's English messages ("… received undefined"): zod must keep configuring its
// `en` locale however it is imported (`import * as z from "zod"` keeps the other locales out of the bundle).
describe("zod issues → field errors", () => {
  it("a missing phone is isNotEmpty, not invalidType", () => {
    expect(errorsOf({})).toEqual([
      { path: "primaryPhone", code: "isNotEmpty", message: "primaryPhone should not be empty" },
    ]);
  });

  it("a phone of the wrong type is invalidType", () => {
    expect(errorsOf({ primaryPhone: 5 })).toEqual([
      { path: "primaryPhone", code: "invalidType", message: "primaryPhone must be a string" },
    ]);
  });

  it("every failing field is reported with its code", () => {
    const codes = errorsOf({
      primaryPhone: "+33612345678",
      nick: 1,
      primaryEmail: "not-an-address",
      gender: "other",
      firstName: "a".repeat(65),
      channels: "sms",
      customAttributes: { Bad: 1 },
    }).map(({ path, code }) => `${path}:${code}`);
    expect(codes.sort()).toEqual(
      [
        "channels:invalidType",
        "customAttributes.Bad:invalidAttributeName",
        "firstName:maxLength",
        "gender:isIn",
        "nick:whitelistValidation",
        "primaryEmail:isEmail",
      ].sort(),
    );
  });
});
