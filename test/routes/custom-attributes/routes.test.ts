import { describe, expect, it } from "vitest";
import { api, createTenant, type Tenant } from "../../helpers";

const FIELDS = [
  "id",
  "organizationId",
  "name",
  "displayName",
  "description",
  "type",
  "createdAt",
  "updatedAt",
  "deletedAt",
];
const UUIDV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const MISSING_ID = "01900000-0000-7000-8000-000000000000";

type Definition = Record<string, unknown> & { id: string; name: string; updatedAt: string };

const define = (tenant: Tenant, json: unknown) =>
  api("/api/custom-attributes", { method: "POST", key: tenant.key, json });

async function defined(tenant: Tenant, json: unknown): Promise<Definition> {
  const res = await define(tenant, json);
  expect(res.status).toBe(201);
  return res.json();
}

async function errorOf(res: Response, status: number) {
  expect(res.status).toBe(status);
  return (await res.json()) as {
    code: string;
    existingId?: string;
    fieldErrors?: Record<string, string[]>;
    fieldDetails?: Record<string, { code: string }[]>;
  };
}

describe("POST /api/custom-attributes", () => {
  it("creates a definition: 201, Location, the fields in contract order, name slugged from displayName", async () => {
    const tenant = await createTenant();
    const res = await define(tenant, { displayName: "  Customer Age ", type: "number" });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Definition;
    expect(Object.keys(body)).toEqual(FIELDS);
    expect(res.headers.get("Location")).toBe(`/api/custom-attributes/${body.id}`);
    expect(body).toMatchObject({
      organizationId: tenant.organizationId,
      name: "customer_age",
      displayName: "Customer Age",
      description: null,
      type: "number",
      deletedAt: null,
    });
    expect(body.id).toMatch(UUIDV7);
    expect(body.createdAt).toMatch(ISO_MS);
    expect(body.updatedAt).toBe(body.createdAt);
  });

  it("keeps a description, folds accents in the name, and accepts every type", async () => {
    const tenant = await createTenant();
    const types = ["text", "number", "boolean", "date", "phone_number", "email", "url"];
    for (const [i, type] of types.entries()) {
      const body = await defined(tenant, { displayName: `Dâte de naissance ${i}`, description: " When ", type });
      expect(body).toMatchObject({ name: `date_de_naissance_${i}`, description: "When", type });
    }
  });

  it("may be used by every role", async () => {
    for (const role of ["manager", "agent"] as const) {
      const tenant = await createTenant({ role });
      await defined(tenant, { displayName: "Loyalty tier", type: "text" });
    }
  });

  it.each([
    [{ displayName: "ab", type: "text" }, "displayName", "minLength"],
    [{ displayName: "   abc   ".replace("abc", "a"), type: "text" }, "displayName", "minLength"],
    [{ displayName: "x".repeat(65), type: "text" }, "displayName", "maxLength"],
    [{ type: "text" }, "displayName", "isNotEmpty"],
    [{ displayName: 12345, type: "text" }, "displayName", "invalidType"],
    [{ displayName: "Customer Age" }, "type", "isIn"],
    [{ displayName: "Customer Age", type: "integer" }, "type", "isIn"],
    [{ displayName: "Customer Age", type: "text", description: "x".repeat(257) }, "description", "maxLength"],
    [{ displayName: "Customer Age", type: "text", name: "age" }, "name", "whitelistValidation"],
  ])("refuses %j: 400 on %s (%s)", async (json, field, code) => {
    const tenant = await createTenant();
    const body = await errorOf(await define(tenant, json), 400);
    expect(body.code).toBe("VALIDATION_FAILED");
    expect(body.fieldDetails?.[field]).toEqual([{ code }]);
  });

  it("answers 415 for another media type and 400 INVALID_JSON for broken JSON", async () => {
    const tenant = await createTenant();
    const plain = await api("/api/custom-attributes", {
      method: "POST",
      key: tenant.key,
      body: "displayName=abc",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect((await errorOf(plain, 415)).code).toBe("UNSUPPORTED_MEDIA_TYPE");
    const broken = await api("/api/custom-attributes", {
      method: "POST",
      key: tenant.key,
      body: "{",
      headers: { "Content-Type": "application/json" },
    });
    expect((await errorOf(broken, 400)).code).toBe("INVALID_JSON");
  });

  it("answers 409 ATTRIBUTE_EXISTS with existingId when the slug is live, whatever the spelling", async () => {
    const tenant = await createTenant();
    const first = await defined(tenant, { displayName: "Customer Age", type: "number" });
    for (const displayName of ["Customer Age", "customer-age", "CUSTOMER  ÄGE"]) {
      const body = await errorOf(await define(tenant, { displayName, type: "text" }), 409);
      expect(body).toMatchObject({ code: "ATTRIBUTE_EXISTS", existingId: first.id });
    }
  });

  it("lets the index decide between concurrent creates of one slug: one 201, the others 409", async () => {
    const tenant = await createTenant();
    const spellings = ["Lead Source", "lead source", "Lead-Source", "LEAD_SOURCE", "lead   source"];
    const responses = await Promise.all(spellings.map((displayName) => define(tenant, { displayName, type: "text" })));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409]);
    const winner = (await responses.find((r) => r.status === 201)?.json()) as Definition;
    for (const res of responses.filter((r) => r.status === 409)) {
      expect(await res.json()).toMatchObject({ code: "ATTRIBUTE_EXISTS", existingId: winner.id });
    }
    const list = (await (await api("/api/custom-attributes", { key: tenant.key })).json()) as Definition[];
    expect(list.map((d) => d.name)).toEqual(["lead_source"]);
  });

  it("lets two organizations define the same name", async () => {
    const [a, b] = await Promise.all([createTenant(), createTenant()]);
    const inA = await defined(a, { displayName: "Customer Age", type: "number" });
    const inB = await defined(b, { displayName: "Customer Age", type: "text" });
    expect(inB.id).not.toBe(inA.id);
    expect(inB.organizationId).toBe(b.organizationId);
  });

  it("needs a key", async () => {
    const res = await api("/api/custom-attributes", { method: "POST", json: { displayName: "abc", type: "text" } });
    expect((await errorOf(res, 401)).code).toBe("UNAUTHORIZED");
  });
});

describe("GET /api/custom-attributes", () => {
  it("is a bare array of the organization's live definitions, oldest first", async () => {
    const [a, b] = await Promise.all([createTenant(), createTenant()]);
    const first = await defined(a, { displayName: "Zeta field", type: "text" });
    const second = await defined(a, { displayName: "Alpha field", type: "boolean" });
    const gone = await defined(a, { displayName: "Gone field", type: "url" });
    await defined(b, { displayName: "Other org field", type: "text" });
    expect((await api(`/api/custom-attributes/${gone.id}`, { method: "DELETE", key: a.key })).status).toBe(200);

    const res = await api("/api/custom-attributes", { key: a.key });
    expect(res.status).toBe(200);
    const list = (await res.json()) as Definition[];
    expect(Array.isArray(list)).toBe(true);
    expect(list).toEqual([first, second]);
    expect(Object.keys(list[0] as Definition)).toEqual(FIELDS);
  });

  it("is [] for an organization with none, and refuses unknown query parameters", async () => {
    const tenant = await createTenant();
    expect(await (await api("/api/custom-attributes", { key: tenant.key })).json()).toEqual([]);
    const body = await errorOf(await api("/api/custom-attributes?page=2", { key: tenant.key }), 400);
    expect(body.fieldDetails).toEqual({ page: [{ code: "whitelistValidation" }] });
  });
});

describe("GET /api/custom-attributes/:id", () => {
  it("reads one definition", async () => {
    const tenant = await createTenant();
    const created = await defined(tenant, { displayName: "Website", type: "url", description: "Company site" });
    const res = await api(`/api/custom-attributes/${created.id}`, { key: tenant.key });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(created);
  });

  it("is 400 for a non-UUID id and 404 for a missing, deleted or other organization's id", async () => {
    const [a, b] = await Promise.all([createTenant(), createTenant()]);
    const mine = await defined(a, { displayName: "Website", type: "url" });
    const bad = await errorOf(await api("/api/custom-attributes/not-a-uuid", { key: a.key }), 400);
    expect(bad.fieldDetails).toEqual({ id: [{ code: "invalidFormat" }] });
    expect((await errorOf(await api(`/api/custom-attributes/${MISSING_ID}`, { key: a.key }), 404)).code).toBe(
      "NOT_FOUND",
    );
    expect((await errorOf(await api(`/api/custom-attributes/${mine.id}`, { key: b.key }), 404)).code).toBe("NOT_FOUND");
    await api(`/api/custom-attributes/${mine.id}`, { method: "DELETE", key: a.key });
    await errorOf(await api(`/api/custom-attributes/${mine.id}`, { key: a.key }), 404);
  });
});

describe("PUT and PATCH /api/custom-attributes/:id", () => {
  const update = (tenant: Tenant, id: string, json: unknown, method = "PUT") =>
    api(`/api/custom-attributes/${id}`, { method, key: tenant.key, json });

  it("changes the description and updatedAt, nothing else", async () => {
    const tenant = await createTenant();
    const created = await defined(tenant, { displayName: "Customer Age", type: "number" });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const res = await update(tenant, created.id, { description: "Age in years" });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Definition;
    expect(Object.keys(body)).toEqual(FIELDS);
    expect(body).toEqual({ ...created, description: "Age in years", updatedAt: body.updatedAt });
    expect(body.updatedAt > created.updatedAt).toBe(true);
    expect(await (await api(`/api/custom-attributes/${created.id}`, { key: tenant.key })).json()).toEqual(body);
  });

  it("accepts PATCH the same way, and null or blank clears the description", async () => {
    const tenant = await createTenant();
    const created = await defined(tenant, { displayName: "Customer Age", type: "number", description: "old" });
    const patched = await update(tenant, created.id, { description: "via patch" }, "PATCH");
    expect(await patched.json()).toMatchObject({ description: "via patch" });
    expect(await (await update(tenant, created.id, { description: null })).json()).toMatchObject({ description: null });
    await update(tenant, created.id, { description: "again" });
    expect(await (await update(tenant, created.id, { description: "  " }, "PATCH")).json()).toMatchObject({
      description: null,
    });
  });

  it.each(["type", "displayName", "name"])("refuses %s with 400 naming it, and changes nothing", async (field) => {
    const tenant = await createTenant();
    const created = await defined(tenant, { displayName: "Customer Age", type: "number" });
    for (const method of ["PUT", "PATCH"]) {
      const body = await errorOf(await update(tenant, created.id, { description: "x", [field]: "text" }, method), 400);
      expect(body.code).toBe("VALIDATION_FAILED");
      expect(body.fieldDetails).toEqual({ [field]: [{ code: "immutableField" }] });
      expect(body.fieldErrors?.[field]?.[0]).toBe(
        `${field} cannot be changed: delete the attribute and define it again`,
      );
    }
    expect(await (await api(`/api/custom-attributes/${created.id}`, { key: tenant.key })).json()).toEqual(created);
  });

  it("needs description, refuses other properties and a too long description", async () => {
    const tenant = await createTenant();
    const created = await defined(tenant, { displayName: "Customer Age", type: "number" });
    expect((await errorOf(await update(tenant, created.id, {}), 400)).fieldDetails).toEqual({
      description: [{ code: "isNotEmpty" }],
    });
    expect(
      (await errorOf(await update(tenant, created.id, { description: "x", color: "red" }), 400)).fieldDetails,
    ).toEqual({ color: [{ code: "whitelistValidation" }] });
    expect(
      (await errorOf(await update(tenant, created.id, { description: "x".repeat(257) }), 400)).fieldDetails,
    ).toEqual({ description: [{ code: "maxLength" }] });
  });

  it("is 400 for a non-UUID id and 404 for a missing, deleted or other organization's id", async () => {
    const [a, b] = await Promise.all([createTenant(), createTenant()]);
    const mine = await defined(a, { displayName: "Customer Age", type: "number", description: "kept" });
    await errorOf(await update(a, "123", { description: "x" }), 400);
    await errorOf(await update(a, MISSING_ID, { description: "x" }), 404);
    await errorOf(await update(b, mine.id, { description: "hijack" }), 404);
    await errorOf(await update(b, mine.id, { description: "hijack" }, "PATCH"), 404);
    expect(await (await api(`/api/custom-attributes/${mine.id}`, { key: a.key })).json()).toMatchObject({
      description: "kept",
    });
    await api(`/api/custom-attributes/${mine.id}`, { method: "DELETE", key: a.key });
    await errorOf(await update(a, mine.id, { description: "x" }), 404);
  });
});

describe("DELETE /api/custom-attributes/:id", () => {
  it("soft-deletes: { id, deleted: true, deletedAt }, then 404, and the name is free again", async () => {
    const tenant = await createTenant();
    const created = await defined(tenant, { displayName: "Customer Age", type: "number" });
    const res = await api(`/api/custom-attributes/${created.id}`, { method: "DELETE", key: tenant.key });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { id: string; deleted: boolean; deletedAt: string };
    expect(Object.keys(body)).toEqual(["id", "deleted", "deletedAt"]);
    expect(body).toEqual({ id: created.id, deleted: true, deletedAt: expect.stringMatching(ISO_MS) });

    await errorOf(await api(`/api/custom-attributes/${created.id}`, { method: "DELETE", key: tenant.key }), 404);
    await errorOf(await api(`/api/custom-attributes/${created.id}`, { key: tenant.key }), 404);

    const again = await defined(tenant, { displayName: "Customer Age", type: "text" });
    expect(again.id).not.toBe(created.id);
    expect(again).toMatchObject({ name: "customer_age", type: "text" });
  });

  it("is 400 for a non-UUID id and 404 for another organization's id, which stays", async () => {
    const [a, b] = await Promise.all([createTenant(), createTenant()]);
    const mine = await defined(a, { displayName: "Customer Age", type: "number" });
    await errorOf(await api("/api/custom-attributes/x", { method: "DELETE", key: a.key }), 400);
    await errorOf(await api(`/api/custom-attributes/${mine.id}`, { method: "DELETE", key: b.key }), 404);
    expect((await api(`/api/custom-attributes/${mine.id}`, { key: a.key })).status).toBe(200);
  });
});

it("answers 405 with Allow for a method the path does not serve", async () => {
  const tenant = await createTenant();
  const res = await api(`/api/custom-attributes/${MISSING_ID}`, { method: "POST", key: tenant.key, json: {} });
  expect((await errorOf(res, 405)).code).toBe("METHOD_NOT_ALLOWED");
  expect(res.headers.get("Allow")?.split(", ").sort()).toEqual(["DELETE", "GET", "PATCH", "PUT"]);
});
