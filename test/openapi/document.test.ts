import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { IDEMPOTENCY_KEY_PATTERN } from "../../src/middleware/idempotency";
import { buildOpenApiDocument, errorsOf, idempotencyHeaderSchema, toTemplate } from "../../src/openapi/document";
import { ROUTE_DOCS } from "../../src/openapi/routes";
import { ONE_CONTACT_BODY_LIMIT } from "../../src/routes/contacts/create";
import { UPSERT_BODY_LIMIT } from "../../src/routes/contacts/upsert";
import { ATTRIBUTE_BODY_LIMIT } from "../../src/routes/custom-attributes/create";
import { WEBHOOK_BODY_LIMIT } from "../../src/services/webhooks/intake";
import { CONTRACT_EXAMPLE } from "../helpers";

const doc = buildOpenApiDocument();

/** `METHOD /path/{param}` of every handler the app serves; middleware (method ALL) is not a route. */
function servedRoutes(): string[] {
  const routes = createApp()
    .routes.filter((r) => r.method !== "ALL")
    .map((r) => `${r.method} ${toTemplate(r.path)}`);
  return [...new Set(routes)].sort();
}

function documentedRoutes(): string[] {
  return Object.entries(doc.paths)
    .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`))
    .sort();
}

describe("the OpenAPI document", () => {
  it("describes exactly the routes that the app serves", () => {
    // A new route needs an entry in src/openapi/routes/ (see src/openapi/registry.ts).
    expect(documentedRoutes()).toEqual(servedRoutes());
  });

  it("is OpenAPI 3.1 with both ways of sending the key, and every /api operation needs one", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.components.securitySchemes).toEqual({
      ApiKey: expect.objectContaining({ type: "apiKey", in: "header", name: "X-API-Key" }),
      Bearer: expect.objectContaining({ type: "http", scheme: "bearer" }),
    });
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const op of Object.values(item)) {
        expect(op.security, path).toEqual(path.startsWith("/api/") ? [{ ApiKey: [] }, { Bearer: [] }] : []);
      }
    }
  });

  it("declares every path parameter, and operation ids are unique", () => {
    for (const [path, item] of Object.entries(doc.paths)) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const op of Object.values(item)) {
        const declared = (op.parameters ?? []).filter((p) => p.in === "path").map((p) => p.name);
        expect(declared.sort(), `${path} ${op.operationId}`).toEqual(names.sort());
      }
    }
    const ids = ROUTE_DOCS.map((r) => r.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("carries the CONTRACT §0 request as the example of POST /api/contact", () => {
    const body = doc.paths["/api/contact"]?.post?.requestBody?.content["application/json"];
    expect(body?.examples?.contract?.value).toEqual(CONTRACT_EXAMPLE);
    expect(body?.schema).toEqual({ $ref: "#/components/schemas/ContactInput" });
  });

  it("has request examples that the route's own validator accepts", () => {
    for (const route of ROUTE_DOCS) {
      for (const [name, example] of Object.entries(route.body?.examples ?? {})) {
        expect(route.body?.schema.safeParse(example.value).success, `${route.operationId} ${name}`).toBe(true);
      }
    }
  });

  it("lists the statuses the middleware implies, with the codes of each", () => {
    const create = ROUTE_DOCS.find((r) => r.operationId === "createContact");
    expect(create && Object.fromEntries(errorsOf(create))).toEqual({
      400: ["VALIDATION_FAILED", "INVALID_JSON"],
      401: ["UNAUTHORIZED"],
      409: ["IDEMPOTENCY_IN_PROGRESS", "CONTACT_EXISTS"],
      413: ["PAYLOAD_TOO_LARGE"],
      415: ["UNSUPPORTED_MEDIA_TYPE"],
      422: ["IDEMPOTENCY_KEY_REUSED"],
      429: ["RATE_LIMITED"],
      500: ["INTERNAL_ERROR"],
      503: ["SERVICE_UNAVAILABLE"],
    });
    const health = ROUTE_DOCS.find((r) => r.operationId === "getHealth");
    expect(health && errorsOf(health).map(([status]) => status)).toEqual([500]);
  });

  it("documents Idempotency-Key with the pattern that the middleware enforces", () => {
    const header = idempotencyHeaderSchema.shape["Idempotency-Key"];
    for (const key of ["", "a", "x".repeat(255), "x".repeat(256), "é", "a\tb", "key 1"]) {
      expect(header.safeParse(key).success, JSON.stringify(key)).toBe(IDEMPOTENCY_KEY_PATTERN.test(key));
    }
    const parameters = doc.paths["/api/contact"]?.post?.parameters ?? [];
    expect(parameters.map((p) => `${p.in} ${p.name}`)).toEqual(["header Idempotency-Key"]);
  });

  it("states the body limits that the routes enforce", () => {
    const limit = (id: string) => ROUTE_DOCS.find((r) => r.operationId === id)?.body?.limit;
    expect(limit("createContact")).toBe(ONE_CONTACT_BODY_LIMIT);
    expect(limit("upsertContacts")).toBe(UPSERT_BODY_LIMIT);
    expect(limit("createCustomAttribute")).toBe(ATTRIBUTE_BODY_LIMIT);
    expect(limit("updateCustomAttribute")).toBe(ATTRIBUTE_BODY_LIMIT);
    expect(limit("receiveWebhook")).toBe(WEBHOOK_BODY_LIMIT);
  });
});

describe("request schemas, as zod validates them", () => {
  const schemas = doc.components.schemas as Record<
    string,
    { required?: string[]; properties: object; additionalProperties?: unknown }
  >;

  it("requires exactly primaryPhone on create, as a string (null is refused)", () => {
    const input = schemas.ContactInput;
    expect(input?.required).toEqual(["primaryPhone"]);
    expect(input?.additionalProperties).toBe(false);
    expect((input?.properties as Record<string, unknown> | undefined)?.primaryPhone).toMatchObject({
      type: "string",
      maxLength: 32,
    });
  });

  it("keeps null for the fields where null means 'not set'", () => {
    const properties = schemas.ContactInput?.properties as Record<string, { anyOf?: { type: string }[] }>;
    for (const field of ["firstName", "primaryEmail", "gender", "channels", "customAttributes"]) {
      expect(
        properties[field]?.anyOf?.map((b) => b.type),
        field,
      ).toContain("null");
    }
  });

  it("describes the fields from the contract", () => {
    const properties = schemas.ContactInput?.properties as Record<string, { description?: string }>;
    for (const [field, property] of Object.entries(properties)) {
      expect(property.description, field).toBeTruthy();
    }
  });
});
