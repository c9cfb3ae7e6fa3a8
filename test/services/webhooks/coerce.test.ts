import { describe, expect, it } from "vitest";
import type { AttributeType } from "../../../src/schemas/custom-attribute";
import type { OrgContext } from "../../../src/services/contact-input";
import { coerceAttributes } from "../../../src/services/webhooks/coerce";

function orgWith(types: Record<string, AttributeType>) {
  let reads = 0;
  const org: OrgContext = {
    organizationId: "org",
    defaultCountry: async () => null,
    attributeTypes: async () => {
      reads += 1;
      return new Map(Object.entries(types));
    },
  };
  return { org, reads: () => reads };
}

describe("coerceAttributes", () => {
  it("reads form text as the defined type when it plainly is one, and leaves the rest to validation", async () => {
    const { org } = orgWith({
      seats: "number",
      vip: "boolean",
      optin: "boolean",
      note: "text",
      tags: "text",
      zip: "text",
    });
    const input = {
      primaryPhone: "+212612345678",
      customAttributes: {
        seats: " 12 ",
        vip: "on",
        optin: "No",
        note: "many",
        tags: ["a", "b"],
        zip: 20000,
        undefinedName: "42",
      },
    };
    expect(await coerceAttributes(input, org)).toEqual({
      primaryPhone: "+212612345678",
      customAttributes: {
        seats: 12,
        vip: true,
        optin: false,
        note: "many",
        tags: "a, b",
        zip: "20000",
        undefinedName: "42",
      },
    });
    const { org: strict } = orgWith({ seats: "number", vip: "boolean" });
    expect(await coerceAttributes({ customAttributes: { seats: "twelve", vip: "maybe" } }, strict)).toEqual({
      customAttributes: { seats: "twelve", vip: "maybe" },
    });
  });

  it("reads no definitions when the input has no attribute values", async () => {
    const probe = orgWith({ seats: "number" });
    const input = { primaryPhone: "+212612345678" };
    expect(await coerceAttributes(input, probe.org)).toBe(input);
    expect(probe.reads()).toBe(0);
  });
});
