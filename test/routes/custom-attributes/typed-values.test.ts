import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../../src/db/client";
import { contacts } from "../../../src/db/schema";
import { api, createTenant, freshPhone, REFERENCE_EXAMPLE, type Tenant } from "../../helpers";

async function define(tenant: Tenant, displayName: string, type: string): Promise<string> {
  const res = await api("/api/custom-attributes", { method: "POST", key: tenant.key, json: { displayName, type } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

const createContact = (tenant: Tenant, customAttributes: unknown, primaryPhone = freshPhone()) =>
  api("/api/contact", { method: "POST", key: tenant.key, json: { primaryPhone, customAttributes } });

async function storedAttributes(id: string) {
  const row = await getDb(env.DB).select().from(contacts).where(eq(contacts.id, id)).get();
  return JSON.parse(row?.customAttributes ?? "null") as Record<string, unknown>;
}

async function rejected(res: Response) {
  expect(res.status).toBe(400);
  const body = (await res.json()) as {
    code: string;
    message: string;
    fieldErrors: Record<string, string[]>;
    fieldDetails: Record<string, { code: string }[]>;
  };
  expect(body.code).toBe("VALIDATION_FAILED");
  return body;
}

describe("typed customAttributes on POST /api/contact", () => {
  it("stores the reference example (docs/api.md#the-contact) as sent on an organization with no definitions", async () => {
    const tenant = await createTenant();
    const res = await api("/api/contact", { method: "POST", key: tenant.key, json: REFERENCE_EXAMPLE });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { customAttributes: unknown }).customAttributes).toEqual({
      age: 30,
      interests: ["tech"],
    });
  });

  let typed: Tenant;
  beforeAll(async () => {
    typed = await createTenant({ defaultCountry: "MA" });
    const types = {
      Note: "text",
      Score: "number",
      Vip: "boolean",
      Born: "date",
      Mobile: "phone_number",
      Work_Email: "email",
      Website: "url",
    };
    for (const [name, type] of Object.entries(types)) await define(typed, name, type);
  });

  it.each([
    ["note", "  free text ", "  free text "],
    ["score", 4.5, 4.5],
    ["score", 0, 0],
    ["vip", false, false],
    ["born", "1990-02-28", "1990-02-28"],
    ["born", "2024-01-01T10:00:00+01:00", "2024-01-01T09:00:00.000Z"],
    ["mobile", "0612345678", "+212612345678"],
    ["mobile", "00 33 6 12 34 56 78", "+33612345678"],
    ["work_email", " Jane@Example.COM", "jane@example.com"],
    ["website", "https://example.com/x", "https://example.com/x"],
    ["website", null, null],
  ])("accepts %s = %j and stores %j", async (name, value, stored) => {
    const tenant = typed;
    const res = await createContact(tenant, { [name]: value, untyped: ["kept", 1] });
    expect(res.status).toBe(201);
    const contact = (await res.json()) as { id: string; customAttributes: Record<string, unknown> };
    expect(contact.customAttributes).toEqual({ [name]: stored, untyped: ["kept", 1] });
    expect(await storedAttributes(contact.id)).toEqual(contact.customAttributes);
  });

  it.each([
    ["note", 42, "attributeType"],
    ["note", ["a"], "attributeType"],
    ["score", "thirty", "attributeType"],
    ["score", "30", "attributeType"],
    ["score", [1, 2], "attributeType"],
    ["vip", "yes", "attributeType"],
    ["born", "2023-02-29", "isDate"],
    ["born", "2024-01-01T10:00:00", "isDate"],
    ["born", 20240101, "attributeType"],
    ["mobile", "+2126", "invalidPhone"],
    ["mobile", 612345678, "attributeType"],
    ["work_email", "jane@", "isEmail"],
    ["website", "javascript:alert(1)", "isUrl"],
    ["website", "example.com", "isUrl"],
  ])("refuses %s = %j: 400 keyed customAttributes.<name> (%s), nothing stored", async (name, value, code) => {
    const tenant = typed;
    const phone = freshPhone();
    const body = await rejected(await createContact(tenant, { [name]: value }, phone));
    const field = `customAttributes.${name}`;
    expect(body.fieldDetails).toEqual({ [field]: [{ code }] });
    expect(body.fieldErrors[field]?.[0]).toMatch(new RegExp(`^${field} `));
    const said = JSON.stringify([body.message, body.fieldErrors]);
    expect(said).not.toContain(JSON.stringify(value).replace(/^"|"$/g, ""));
    // Nothing was stored: the phone is still free.
    expect((await createContact(tenant, {}, phone)).status).toBe(201);
  });

  it("reports the phone and every bad attribute of one body together", async () => {
    const tenant = typed;
    const res = await createContact(tenant, { score: "high", vip: 1, untyped: "anything" }, "+2126");
    expect((await rejected(res)).fieldDetails).toEqual({
      primaryPhone: [{ code: "invalidPhone" }],
      "customAttributes.score": [{ code: "attributeType" }],
      "customAttributes.vip": [{ code: "attributeType" }],
    });
  });

  it("needs the organization's default country for a national number in a phone_number attribute", async () => {
    const tenant = await createTenant();
    await define(tenant, "Mobile", "phone_number");
    const body = await rejected(await createContact(tenant, { mobile: "0612345678" }));
    expect(body.fieldDetails).toEqual({ "customAttributes.mobile": [{ code: "missingCountryCode" }] });
    expect(body.fieldErrors["customAttributes.mobile"]?.[0]).toContain("has no country code");
  });

  it("after a definition is deleted, contacts keep their values and the name is free; a new definition is enforced", async () => {
    const tenant = await createTenant();
    const scoreId = await define(tenant, "Score", "number");
    const before = (await (await createContact(tenant, { score: 5 })).json()) as { id: string };

    const deleted = await api(`/api/custom-attributes/${scoreId}`, { method: "DELETE", key: tenant.key });
    expect(deleted.status).toBe(200);
    expect(await storedAttributes(before.id)).toEqual({ score: 5 });
    // No definition any more: stored as sent.
    const free = await createContact(tenant, { score: "high" });
    expect(free.status).toBe(201);
    const freeId = ((await free.json()) as { id: string }).id;

    await define(tenant, "Score", "boolean");
    const body = await rejected(await createContact(tenant, { score: "high" }));
    expect(body.fieldDetails).toEqual({ "customAttributes.score": [{ code: "attributeType" }] });
    expect((await createContact(tenant, { score: true })).status).toBe(201);
    // Values written before are not rewritten by a new definition.
    expect(await storedAttributes(before.id)).toEqual({ score: 5 });
    expect(await storedAttributes(freeId)).toEqual({ score: "high" });
  });

  it("one organization's definitions do not affect another's contacts", async () => {
    const [a, b] = await Promise.all([createTenant(), createTenant()]);
    await define(a, "Age", "number");
    expect((await rejected(await createContact(a, { age: "thirty" }))).fieldDetails).toEqual({
      "customAttributes.age": [{ code: "attributeType" }],
    });
    const res = await createContact(b, { age: "thirty" });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { customAttributes: unknown }).customAttributes).toEqual({ age: "thirty" });
  });
});
