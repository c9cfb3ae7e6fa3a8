import { describe, expect, it } from "vitest";
import type * as z from "zod";
import { createApp } from "../../src/app";
import { IDEMPOTENCY_KEY_PATTERN } from "../../src/middleware/idempotency";
import { ONE_CONTACT_BODY_LIMIT } from "../../src/routes/contacts/create";
import { UPSERT_BODY_LIMIT } from "../../src/routes/contacts/upsert";
import { ATTRIBUTE_BODY_LIMIT } from "../../src/routes/custom-attributes/definition-example";
import { WEBHOOK_BODY_LIMIT } from "../../src/routes/hooks/intake";
import { doc } from "../conformance";
import { REFERENCE_EXAMPLE } from "../helpers";

type Operation = {
  operationId: string;
  description?: string;
  security: unknown[];
  parameters?: { in: string; name: string; schema: { pattern?: string } }[];
  requestBody?: { content: Record<string, { schema: unknown; examples?: Record<string, { value: unknown }> }> };
  responses: Record<string, unknown>;
};
const paths = doc.paths as unknown as Record<string, Record<string, Operation>>;
const operations = Object.values(paths).flatMap((item) => Object.values(item));
const operation = (id: string) => operations.find((op) => op.operationId === id) as Operation;

/** The route declarations the app was built from, with their zod request schemas. */
const declared = createApp().openAPIRegistry.definitions.flatMap((d) => (d.type === "route" ? [d.route] : []));

describe("the OpenAPI document", () => {
  it("describes exactly the routes that the app serves", () => {
    const served = [
      ...new Set(
        createApp()
          .routes.filter((r) => r.method !== "ALL")
          .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, "{$1}")}`),
      ),
    ].sort();
    const documented = Object.entries(paths)
      .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(documented).toEqual(served);
  });

  it("is OpenAPI 3.1 with both ways of sending the key, and every /api operation needs one", () => {
    expect((doc as unknown as { openapi: string }).openapi).toBe("3.1.0");
    const schemes = (doc.components as unknown as { securitySchemes: unknown }).securitySchemes;
    expect(schemes).toEqual({
      ApiKey: expect.objectContaining({ type: "apiKey", in: "header", name: "X-API-Key" }),
      Bearer: expect.objectContaining({ type: "http", scheme: "bearer" }),
    });
    for (const [path, item] of Object.entries(paths)) {
      for (const op of Object.values(item)) {
        expect(op.security, path).toEqual(path.startsWith("/api/") ? [{ ApiKey: [] }, { Bearer: [] }] : []);
      }
    }
  });

  it("declares every path parameter, and operation ids are unique", () => {
    for (const [path, item] of Object.entries(paths)) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const op of Object.values(item)) {
        const declaredNames = (op.parameters ?? []).filter((p) => p.in === "path").map((p) => p.name);
        expect(declaredNames.sort(), `${path} ${op.operationId}`).toEqual(names.sort());
      }
    }
    const ids = operations.map((op) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("carries the reference request as the example of POST /api/contact", () => {
    const body = operation("createContact").requestBody?.content["application/json"];
    expect(body?.examples?.contract?.value).toEqual(REFERENCE_EXAMPLE);
    expect(body?.schema).toEqual({ $ref: "#/components/schemas/ContactInput" });
  });

  it("has request examples that the route's own validator accepts", () => {
    let checked = 0;
    for (const route of declared) {
      for (const [type, media] of Object.entries(route.request?.body?.content ?? {})) {
        const { schema, examples } = media as { schema: z.ZodType; examples?: Record<string, { value: unknown }> };
        for (const [name, example] of Object.entries(examples ?? {})) {
          expect(schema.safeParse(example.value).success, `${route.operationId} ${type} ${name}`).toBe(true);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(5);
  });

  it("lists the statuses the middleware implies, with the codes of each", () => {
    const codesOf = (op: Operation) =>
      Object.fromEntries(
        Object.entries(op.responses)
          .filter(([status]) => Number(status) >= 400)
          .map(([status, response]) => {
            const schema = (response as { content: { "application/json": { schema: { allOf: unknown[] } } } }).content[
              "application/json"
            ].schema.allOf[1] as { properties: { code: { const?: string; enum?: string[] } } };
            const { code } = schema.properties;
            return [status, code.enum ?? [code.const]];
          }),
      );
    expect(codesOf(operation("createContact"))).toEqual({
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
    expect(Object.keys(codesOf(operation("getHealth")))).toEqual(["500"]);
    expect(codesOf(operation("createWebhookSource"))[403]).toEqual(["FORBIDDEN"]);
  });

  it("documents Idempotency-Key, with the middleware's own pattern, only where the middleware is", () => {
    const withKey = operations.filter((op) => op.parameters?.some((p) => p.name === "Idempotency-Key"));
    expect(withKey.map((op) => op.operationId).sort()).toEqual([
      "createContact",
      "createWebhookEndpoint",
      "upsertContacts",
    ]);
    const header = operation("createContact").parameters?.find((p) => p.name === "Idempotency-Key");
    expect(header?.schema.pattern).toBe(IDEMPOTENCY_KEY_PATTERN.source);
  });

  it("states the body limits that the routes enforce", () => {
    const says = (id: string, bytes: number) =>
      expect(operation(id).description, id).toContain(
        bytes >= 1024 * 1024 ? `at most ${bytes / 1024 / 1024} MB` : `at most ${bytes / 1024} KB`,
      );
    says("createContact", ONE_CONTACT_BODY_LIMIT);
    says("upsertContacts", UPSERT_BODY_LIMIT);
    says("createCustomAttribute", ATTRIBUTE_BODY_LIMIT);
    says("updateCustomAttribute", ATTRIBUTE_BODY_LIMIT);
    says("receiveWebhook", WEBHOOK_BODY_LIMIT);
  });
});

describe("request schemas, as zod validates them", () => {
  const schemas = doc.components.schemas as Record<
    string,
    { required?: string[]; properties: Record<string, Record<string, unknown>>; additionalProperties?: unknown }
  >;

  it("requires exactly primaryPhone on create, as a string with its length and shape", () => {
    const input = schemas.ContactInput;
    expect(input?.required).toEqual(["primaryPhone"]);
    expect(input?.additionalProperties).toBe(false);
    expect(input?.properties.primaryPhone).toMatchObject({
      type: "string",
      maxLength: 32,
      pattern: expect.any(String),
    });
  });

  it("says what the server enforces: e-mail format, lengths, at least one field, attribute limits", () => {
    const input = schemas.ContactInput?.properties ?? {};
    expect(input.primaryEmail).toMatchObject({ format: "email", maxLength: 254 });
    expect(input.firstName).toMatchObject({ maxLength: 64 });
    expect(input.address).toMatchObject({ maxLength: 256 });
    expect(input.customAttributes).toMatchObject({
      maxProperties: 100,
      propertyNames: { pattern: expect.any(String) },
    });
    expect(schemas.ContactUpdate).toMatchObject({ minProperties: 1, additionalProperties: false });
  });

  it("keeps null for the fields where null means 'not set'", () => {
    const properties = schemas.ContactInput?.properties ?? {};
    for (const field of ["firstName", "primaryEmail", "gender", "channels", "customAttributes"]) {
      expect(JSON.stringify(properties[field]), field).toContain('"null"');
    }
  });

  it("describes every field of the contact input", () => {
    for (const [field, property] of Object.entries(schemas.ContactInput?.properties ?? {})) {
      expect(property.description, field).toBeTruthy();
    }
  });
});
