import { describe, expect, it } from "vitest";
import type * as z from "zod";
import { type Contact, toContact } from "../../src/db/contacts";
import type { ErrorCode } from "../../src/lib/errors";
import { contactSchema, type errorCodeSchema } from "../../src/schemas/responses";
import { newContactRow } from "../../src/services/contacts";
import { REFERENCE_EXAMPLE } from "../helpers";

// Compile-time: a new error code, or a field added to `toContact`, fails `tsc` here until the
// response schemas say the same.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameCodes: Same<z.infer<typeof errorCodeSchema>, ErrorCode> = true;
const sameContactFields: Same<keyof z.infer<typeof contactSchema>, keyof Contact> = true;

describe("response schemas", () => {
  it("match the error codes and the contact fields (checked by tsc)", () => {
    expect(sameCodes && sameContactFields).toBe(true);
  });

  it("accept what toContact makes of a new row, in the contract's field order", () => {
    const input = contactSchema.shape;
    const contact = toContact(newContactRow("0192f4e6-1c2b-7d3e-8f40-5a6b7c8d9e0f", REFERENCE_EXAMPLE));
    expect(contactSchema.parse(contact)).toEqual(contact);
    expect(Object.keys(contact)).toEqual(Object.keys(input));
  });
});
