import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, createTenant, freshPhone, REFERENCE_EXAMPLE } from "../../helpers";

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const create = (key: string, json: unknown) => api("/api/contact", { method: "POST", key, json });

async function errorOf(res: Response) {
  return (await res.json()) as {
    statusCode: number;
    code: string;
    message: string;
    fieldErrors?: Record<string, string[]>;
    fieldDetails?: Record<string, { code: string }[]>;
    existingId?: string;
  };
}

describe("POST /api/contact: the reference example (docs/api.md#the-contact)", () => {
  it("succeeds on a brand-new organization, field for field and in GoMobile's order", async () => {
    const t = await createTenant();
    const res = await create(t.key, REFERENCE_EXAMPLE);
    expect(res.status).toBe(201);
    const contact = (await res.json()) as Record<string, unknown>;
    expect(res.headers.get("Location")).toBe(`/api/contact/${contact.id}`);
    expect(Object.keys(contact)).toEqual([
      "id",
      "organizationId",
      "primaryPhone",
      "channels",
      "createdAt",
      "updatedAt",
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
      "customAttributes",
    ]);
    expect(contact).toEqual({
      ...REFERENCE_EXAMPLE,
      id: expect.stringMatching(UUID_V7),
      organizationId: t.organizationId,
      channels: [],
      createdAt: expect.stringMatching(ISO_MS),
      updatedAt: contact.createdAt,
      gender: null,
    });
  });

  it("stores what it answered", async () => {
    const t = await createTenant();
    const contact = (await (await create(t.key, REFERENCE_EXAMPLE)).json()) as { id: string };
    const row = await env.DB.prepare("SELECT * FROM contacts WHERE id = ?")
      .bind(contact.id)
      .first<Record<string, unknown>>();
    expect(row).toMatchObject({
      organization_id: t.organizationId,
      primary_phone: "+212612345678",
      primary_email: "john@example.com",
      custom_attributes: JSON.stringify(REFERENCE_EXAMPLE.customAttributes),
      deleted_at: null,
    });
  });
});

describe("POST /api/contact: field rules", () => {
  it("trims strings, treats blank and null as not set, lower-cases e-mail, derives fullName", async () => {
    const t = await createTenant();
    const res = await create(t.key, {
      primaryPhone: freshPhone(),
      firstName: "  Ada ",
      lastName: "Lovelace",
      primaryEmail: "  Ada@Example.COM ",
      city: "   ",
      zip: null,
      gender: "female",
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      firstName: "Ada",
      lastName: "Lovelace",
      fullName: "Ada Lovelace",
      primaryEmail: "ada@example.com",
      city: null,
      zip: null,
      gender: "female",
    });
  });

  it("keeps a given fullName and derives from one name alone", async () => {
    const t = await createTenant();
    const given = await create(t.key, {
      primaryPhone: freshPhone(),
      firstName: "A",
      lastName: "B",
      fullName: "Dr A B",
    });
    expect(((await given.json()) as { fullName: string }).fullName).toBe("Dr A B");
    const one = await create(t.key, { primaryPhone: freshPhone(), lastName: "Solo" });
    expect(((await one.json()) as { fullName: string }).fullName).toBe("Solo");
  });

  it("removes duplicate channels, keeping the first occurrence", async () => {
    const t = await createTenant();
    const res = await create(t.key, { primaryPhone: freshPhone(), channels: ["sms", " phone ", "sms", "phone"] });
    expect(((await res.json()) as { channels: string[] }).channels).toEqual(["sms", "phone"]);
  });

  it.each([
    ["spaces", "+212 6 12 34 56 78"],
    ["dashes", "+212-612-345-678"],
    ["dots", "+212.612.345.678"],
    ["brackets", "+212 (6) 12 34 56 78"],
    ["a leading 00", "00212612345678"],
  ])("normalises a phone with %s to E.164", async (_, phone) => {
    const t = await createTenant();
    const res = await create(t.key, { primaryPhone: phone });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { primaryPhone: string }).primaryPhone).toBe("+212612345678");
  });

  it("accepts a national number only with the organization's default country", async () => {
    const withCountry = await createTenant({ defaultCountry: "MA" });
    const ok = await create(withCountry.key, { primaryPhone: "06 12 34 56 78" });
    expect(ok.status).toBe(201);
    expect(((await ok.json()) as { primaryPhone: string }).primaryPhone).toBe("+212612345678");

    const without = await createTenant();
    const refused = await create(without.key, { primaryPhone: "0612345678" });
    expect(refused.status).toBe(400);
    const body = await errorOf(refused);
    expect(body.fieldDetails).toEqual({ primaryPhone: [{ code: "missingCountryCode" }] });
    expect(body.fieldErrors?.primaryPhone?.[0]).toMatch(/country code/);
  });

  it.each([
    ["an invalid number", { primaryPhone: "+1 555 000" }, "primaryPhone", "invalidPhone"],
    ["letters", { primaryPhone: "+212 CALL ME" }, "primaryPhone", "invalidPhone"],
    ["a phone over 32 characters", { primaryPhone: `+212 612 345 678${" ".repeat(20)}` }, "primaryPhone", "maxLength"],
    ["a missing phone", { primaryPhone: undefined, firstName: "X" }, "primaryPhone", "isNotEmpty"],
    ["a blank phone", { primaryPhone: "  " }, "primaryPhone", "isNotEmpty"],
    ["a numeric phone", { primaryPhone: 212612345678 }, "primaryPhone", "invalidType"],
    ["a 65-character name", { firstName: "x".repeat(65) }, "firstName", "maxLength"],
    ["a 257-character address", { address: "x".repeat(257) }, "address", "maxLength"],
    ["a bad e-mail", { primaryEmail: "not-an-email" }, "primaryEmail", "isEmail"],
    ["a 255-character e-mail", { primaryEmail: `${"a".repeat(243)}@example.com` }, "primaryEmail", "maxLength"],
    ["an unknown gender", { gender: "other" }, "gender", "isIn"],
    ["21 channels", { channels: Array.from({ length: 21 }, (_, i) => `c${i}`) }, "channels", "arrayMaxSize"],
    ["an empty channel", { channels: ["sms", " "] }, "channels.1", "minLength"],
    ["a bad attribute name", { customAttributes: { Age: 1 } }, "customAttributes.Age", "invalidAttributeName"],
    [
      "a __proto__ attribute",
      JSON.parse('{"customAttributes": {"__proto__": 1}}'),
      "customAttributes.__proto__",
      "invalidAttributeName",
    ],
    ["a nested attribute object", { customAttributes: { a: { b: 1 } } }, "customAttributes.a", "invalidAttributeValue"],
    ["an attribute string over 1024", { customAttributes: { a: "x".repeat(1025) } }, "customAttributes.a", "maxLength"],
    [
      "an attribute array over 50",
      { customAttributes: { a: Array(51).fill(1) } },
      "customAttributes.a",
      "invalidAttributeValue",
    ],
    ["a nested attribute array", { customAttributes: { a: [[1]] } }, "customAttributes.a", "invalidAttributeValue"],
    [
      "101 attributes",
      { customAttributes: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, i])) },
      "customAttributes",
      "tooManyAttributes",
    ],
    [
      "attributes over 16 KB",
      { customAttributes: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, "x".repeat(1000)])) },
      "customAttributes",
      "attributesTooLarge",
    ],
  ])("refuses %s, naming the field", async (_, fields, path, code) => {
    const t = await createTenant();
    const body = { primaryPhone: freshPhone(), ...(fields as object) };
    const res = await create(t.key, body);
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.code).toBe("VALIDATION_FAILED");
    expect(error.fieldDetails?.[path]).toEqual([{ code }]);
    expect(error.fieldErrors?.[path]?.[0]).toContain(path.split(".")[0]);
  });

  it("refuses an unknown property by name", async () => {
    const t = await createTenant();
    const res = await create(t.key, { primaryPhone: freshPhone(), nickname: "Jo", organizationId: t.organizationId });
    const error = await errorOf(res);
    expect(res.status).toBe(400);
    expect(error.fieldErrors).toEqual({
      nickname: ["property nickname should not exist"],
      organizationId: ["property organizationId should not exist"],
    });
  });

  it("refuses a __proto__ property by name, as a key of fieldErrors", async () => {
    const t = await createTenant();
    const res = await api("/api/contact", {
      method: "POST",
      key: t.key,
      body: `{"primaryPhone":"${freshPhone()}","__proto__":{"x":1}}`,
      headers: { "Content-Type": "application/json" },
    });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).toContain('"fieldErrors":{"__proto__":["property __proto__ should not exist"]}');
  });

  it("lists phone errors together with the other field errors", async () => {
    const t = await createTenant();
    const error = await errorOf(await create(t.key, { primaryPhone: "0612345678", gender: "x" }));
    expect(Object.keys(error.fieldErrors ?? {}).sort()).toEqual(["gender", "primaryPhone"]);
  });

  it("accepts every kind of attribute value, and the limits themselves", async () => {
    const t = await createTenant();
    const customAttributes = {
      s: "x".repeat(1024),
      n: -1.5,
      b: false,
      z: null,
      list: [...Array(49).fill("a"), null],
      [`a${"b".repeat(63)}`]: 1,
    };
    const res = await create(t.key, {
      primaryPhone: freshPhone(),
      firstName: "x".repeat(64),
      address: "y".repeat(256),
      channels: Array.from({ length: 20 }, (_, i) => `c${i}`),
      customAttributes,
    });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { customAttributes: object }).customAttributes).toEqual(customAttributes);
  });

  it("never echoes a submitted value in an error", async () => {
    const t = await createTenant();
    const res = await create(t.key, { primaryPhone: "+1 555 0100 999", primaryEmail: "secret.person@nowhere" });
    expect(res.status).toBe(400);
    // The server's own timestamp and request id may hold "555" by chance (…:00.555Z): not an echo.
    const { timestamp: _timestamp, requestId: _requestId, ...rest } = (await res.json()) as Record<string, unknown>;
    const text = JSON.stringify(rest);
    expect(text).not.toContain("555");
    expect(text).not.toContain("secret.person");
  });
});

describe("POST /api/contact: uniqueness", () => {
  it("answers 409 CONTACT_EXISTS with existingId for a live contact's phone, in any spelling", async () => {
    const t = await createTenant();
    const first = (await (await create(t.key, { primaryPhone: "+212612345678" })).json()) as { id: string };
    const again = await create(t.key, { primaryPhone: "00 212 6-12-34-56-78" });
    expect(again.status).toBe(409);
    const error = await errorOf(again);
    expect(error.code).toBe("CONTACT_EXISTS");
    expect(error.existingId).toBe(first.id);
  });

  it("lets two organizations each have the same phone", async () => {
    const a = await createTenant();
    const b = await createTenant();
    const phone = freshPhone();
    const ra = (await (await create(a.key, { primaryPhone: phone })).json()) as { id: string; organizationId: string };
    const resB = await create(b.key, { primaryPhone: phone });
    expect(resB.status).toBe(201);
    const rb = (await resB.json()) as { id: string; organizationId: string };
    expect(rb.id).not.toBe(ra.id);
    expect([ra.organizationId, rb.organizationId]).toEqual([a.organizationId, b.organizationId]);
  });

  it("gives exactly one 201 among concurrent creates of one phone, and one row", async () => {
    const t = await createTenant();
    const phone = freshPhone();
    const responses = await Promise.all(Array.from({ length: 8 }, () => create(t.key, { primaryPhone: phone })));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    const winner = (await responses.find((r) => r.status === 201)?.json()) as { id: string };
    for (const r of responses.filter((r) => r.status === 409)) expect((await errorOf(r)).existingId).toBe(winner.id);
    const { results } = await env.DB.prepare("SELECT id FROM contacts WHERE organization_id = ?")
      .bind(t.organizationId)
      .all();
    expect(results).toEqual([{ id: winner.id }]);
  });

  it("frees the phone of a deleted contact", async () => {
    const t = await createTenant();
    const phone = freshPhone();
    const first = (await (await create(t.key, { primaryPhone: phone })).json()) as { id: string };
    await env.DB.prepare("UPDATE contacts SET deleted_at = ? WHERE id = ?")
      .bind(new Date().toISOString(), first.id)
      .run();
    const again = await create(t.key, { primaryPhone: phone });
    expect(again.status).toBe(201);
  });
});
