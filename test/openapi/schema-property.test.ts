import { type Schema, Validator } from "@cfworker/json-schema";
import fc from "fast-check";
import { isSupportedCountry } from "libphonenumber-js/max";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { SIGNING_PROVIDERS } from "../../src/lib/signatures";
import { ATTRIBUTE_NAME, GENDERS } from "../../src/schemas/contact-fields";
import { ATTRIBUTE_TYPES } from "../../src/schemas/custom-attribute";
import { isFieldMapTarget, WEBHOOK_PROVIDERS } from "../../src/schemas/webhook-source";
import { doc } from "../conformance";
import { createContact, knownValidContact } from "../contact-fixtures";
import { api, createTenant, fewShrinks, freshPhone } from "../helpers";
import { arbitraryOf, type JsonSchema } from "./json-schema-arbitrary";

// Issue 12, item 2: the document says everything the server enforces. Bodies are drawn from the
// request schemas of the OpenAPI document (not from the zod schemas), checked against that
// document, and sent: each must be accepted. Where a rule cannot be written in JSON Schema, the
// test sets that part to a known-valid value and says why. The other way round, a body that
// breaks one rule of the document must be refused, naming the field.

const components = doc.components.schemas as Record<string, JsonSchema>;
type Operation = { requestBody?: { content: Record<string, { schema: JsonSchema }> } };
function requestSchema(path: string, method: string): JsonSchema {
  const operation = doc.paths[path]?.[method] as Operation | undefined;
  const schema = operation?.requestBody?.content["application/json"]?.schema;
  if (!schema) throw new Error(`the document has no JSON body for ${method} ${path}`);
  return schema;
}
const resolve = (schema: JsonSchema) =>
  typeof schema.$ref === "string" ? (components[schema.$ref.split("/").pop() as string] as JsonSchema) : schema;

/** The schema of property `name` of an object schema (through a `$ref`). */
function property(schema: JsonSchema, name: string): JsonSchema {
  const found = (resolve(schema).properties as Record<string, JsonSchema> | undefined)?.[name];
  if (!found) throw new Error(`the document has no property ${name} here`);
  return found;
}

/** "" when the document's schema allows `value`, else why not. */
function allowedBy(schema: JsonSchema) {
  const root = structuredClone({ $ref: "#/$defs/body", $defs: { body: schema }, components: doc.components });
  const validator = new Validator(root as Schema, "2020-12", false);
  return (value: unknown) => {
    const result = validator.validate(value);
    return result.valid ? "" : result.errors.map((e) => `${e.instanceLocation}: ${e.error}`).join("\n");
  };
}

/**
 * An organization per run: no 409 left by an earlier run, and no 429 from the per-key rate limit
 * while fast-check shrinks a failure (hundreds of requests).
 */
const freshKey = async () => (await createTenant()).key;

/** Sends `body` and expects `status`; `api()` checks the answer against the document. */
async function expectAccepted(path: string, method: string, key: string, body: unknown, status: number) {
  const res = await api(path, { method, key, json: body });
  if (res.status !== status) {
    throw new Error(`${method} ${path} → ${res.status} ${await res.text()}\nfor ${JSON.stringify(body)}`);
  }
  return (await res.json()) as Record<string, unknown>;
}

/** Sends `body`, which the document refuses, and expects a 400 naming `field` with `code`. */
async function expectRefused(path: string, method: string, key: string, body: unknown, field: string, code: string) {
  const res = await api(path, { method, key, json: body });
  const answer = (await res.json()) as { fieldDetails?: Record<string, { code: string }[]> };
  if (res.status !== 400 || !answer.fieldDetails?.[field]?.some((d) => d.code === code)) {
    throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(answer)}\nfor ${JSON.stringify(body)}`);
  }
}

const contactInput = requestSchema("/api/contact", "post");
const contactUpdate = requestSchema("/api/contact/{id}", "patch");
const upsertInput = requestSchema("/api/contact/upsert", "post");
const attributeInput = requestSchema("/api/custom-attributes", "post");
const sourceInput = requestSchema("/api/webhook-sources", "post");

// A contact's phone (valid per libphonenumber's metadata) and the 16 KB of its customAttributes
// cannot be said in JSON Schema: `knownValidContact` sets them to known-valid values.
describe("every body the document allows is accepted", () => {
  it("POST /api/contact (ContactInput): 201", async () => {
    const allowed = allowedBy(contactInput);
    await fc.assert(
      fc.asyncProperty(fewShrinks(arbitraryOf(contactInput, components).map(knownValidContact)), async (body) => {
        expect(allowed(body)).toBe("");
        await expectAccepted("/api/contact", "POST", await freshKey(), body, 201);
      }),
      { numRuns: 100 },
    );
  });

  it("PATCH /api/contact/{id} (ContactUpdate): 200", async () => {
    const allowed = allowedBy(contactUpdate);
    await fc.assert(
      fc.asyncProperty(fewShrinks(arbitraryOf(contactUpdate, components).map(knownValidContact)), async (body) => {
        expect(allowed(body)).toBe("");
        const key = await freshKey();
        // No stored attributes: the merged result is the request's own, within the same limits.
        const { id } = await createContact(key);
        await expectAccepted(`/api/contact/${id}`, "PATCH", key, body, 200);
      }),
      { numRuns: 80 },
    );
  });

  it("POST /api/contact/upsert (1 to 3 items, each a ContactInput): 200", async () => {
    // Small arrays, which the document's bounds allow: a thousand contacts a run would be slow.
    const data = property(upsertInput, "data");
    expect(data).toMatchObject({ type: "array", minItems: 1, items: { $ref: "#/components/schemas/ContactInput" } });
    expect(data.maxItems).toBeGreaterThanOrEqual(3);
    const item = arbitraryOf(data.items as JsonSchema, components).map(knownValidContact);
    const allowed = allowedBy(upsertInput);
    await fc.assert(
      fc.asyncProperty(fewShrinks(fc.array(item, { minLength: 1, maxLength: 3 })), async (items) => {
        const body = { data: items };
        expect(allowed(body)).toBe("");
        await expectAccepted("/api/contact/upsert", "POST", await freshKey(), body, 200);
      }),
      { numRuns: 50 },
    );
  });

  it("POST /api/custom-attributes: 201", async () => {
    const allowed = allowedBy(attributeInput);
    await fc.assert(
      fc.asyncProperty(fewShrinks(arbitraryOf(attributeInput, components)), async (body) => {
        expect(allowed(body)).toBe("");
        await expectAccepted("/api/custom-attributes", "POST", await freshKey(), body, 201);
      }),
      { numRuns: 80 },
    );
  });

  it("POST /api/webhook-sources: 201, keeping the whole fieldMap", async () => {
    const allowed = allowedBy(sourceInput);
    const bodies = arbitraryOf(sourceInput, components).map((generated) => {
      const body = { ...(generated as Record<string, unknown>) };
      // A secret is refused for a provider that does not sign its deliveries: the description says
      // so, the schema does not (it would take an if/then on `provider`).
      if (!(SIGNING_PROVIDERS as readonly string[]).includes(body.provider as string)) delete body.secret;
      // A json source's secret is a Standard Webhooks secret (whsec_ + base64 of 16+ bytes): the
      // description says so; the schema's one pattern cannot depend on the provider.
      else if (body.provider === "json" && typeof body.secret === "string")
        body.secret = `whsec_${btoa("0123456789abcdef")}`;
      return body;
    });
    await fc.assert(
      fc.asyncProperty(fewShrinks(bodies), async (body) => {
        expect(allowed(body)).toBe("");
        const created = await expectAccepted("/api/webhook-sources", "POST", await freshKey(), body, 201);
        // Accepted is not enough for a map: a key dropped on the way would be accepted too.
        expect(created.fieldMap).toEqual(body.fieldMap ?? {});
      }),
      { numRuns: 80 },
    );
  });

  it("POST /api/keys: 201", async () => {
    const schema = requestSchema("/api/keys", "post");
    const { expiresAt, ...others } = schema.properties as Record<string, JsonSchema>;
    expect(expiresAt).toMatchObject({ format: "date-time" });
    // expiresAt must lie in the future, which no schema can say (the key service checks it against
    // its clock): known-valid values, and the rest drawn from the document.
    const bodies = fc
      .tuple(
        arbitraryOf({ ...schema, properties: others }, components),
        fc.constantFrom(undefined, null, "2999-01-01T00:00:00Z", "2999-12-31T23:59:59.999+02:00"),
      )
      .map(([body, at]) => (at === undefined ? body : { ...(body as object), expiresAt: at }));
    const allowed = allowedBy(schema);
    await fc.assert(
      fc.asyncProperty(fewShrinks(bodies), async (body) => {
        expect(allowed(body)).toBe("");
        await expectAccepted("/api/keys", "POST", await freshKey(), body, 201);
      }),
      { numRuns: 50 },
    );
  });
});

/** Characters that trimming cannot remove and no rule refuses, of one or two UTF-16 units. */
const solidChar = fc.constantFrom("a", "Z", "é", "中", "😀", "𝟘", "👩");
const tooLong = (max: number) =>
  fc.integer({ min: max + 1, max: max + 8 }).chain((n) => fc.string({ unit: solidChar, minLength: n, maxLength: n }));
/** A limit the document must give (an arbitrary built on a missing one could spin forever, past any timeout). */
function limit(schema: JsonSchema | undefined, keyword: "maxLength" | "maxProperties"): number {
  const value = schema?.[keyword];
  if (typeof value !== "number") throw new Error(`the document gives no ${keyword} here: ${JSON.stringify(schema)}`);
  return value;
}
const maxLengthOf = (schema: JsonSchema | undefined) => limit(schema, "maxLength");

describe("a body that breaks one rule of the document is refused, naming the field", () => {
  const refusedByDoc = allowedBy(contactInput);

  it("maxLength, in code points, of every contact text field and of a channel", async () => {
    const limited = Object.entries(resolve(contactInput).properties as Record<string, JsonSchema>).filter(
      ([name, s]) => typeof s.maxLength === "number" && name !== "primaryPhone" && name !== "primaryEmail",
    );
    expect(limited.map(([name]) => name)).toContain("firstName");
    const cases = fc
      .constantFrom(...limited)
      .chain(([name, s]) => tooLong(maxLengthOf(s)).map((value) => ({ name, value })));
    await fc.assert(
      fc.asyncProperty(fewShrinks(cases), async ({ name, value }) => {
        const body = { primaryPhone: freshPhone(), [name]: value };
        expect(refusedByDoc(body)).not.toBe("");
        await expectRefused("/api/contact", "POST", await freshKey(), body, name, "maxLength");
      }),
      { numRuns: 40 },
    );
    await fc.assert(
      fc.asyncProperty(
        fewShrinks(tooLong(maxLengthOf(property(contactInput, "channels").items as JsonSchema | undefined))),
        async (value) => {
          const body = { primaryPhone: freshPhone(), channels: ["sms", value] };
          expect(refusedByDoc(body)).not.toBe("");
          await expectRefused("/api/contact", "POST", await freshKey(), body, "channels.1", "maxLength");
        },
      ),
      { numRuns: 10 },
    );
  });

  it("maxLength of an attribute's string value, of a display name, of a source name", async () => {
    const attributes = property(contactInput, "customAttributes").additionalProperties as { anyOf: JsonSchema[] };
    const value = maxLengthOf(attributes.anyOf.find((s) => s.type === "string"));
    const displayName = maxLengthOf(property(attributeInput, "displayName"));
    const sourceName = maxLengthOf(property(sourceInput, "name"));
    await fc.assert(
      fc.asyncProperty(
        fewShrinks(tooLong(value)),
        fewShrinks(tooLong(displayName)),
        fewShrinks(tooLong(sourceName)),
        async (long, display, name) => {
          const key = await freshKey();
          const contact = { primaryPhone: freshPhone(), customAttributes: { note: long } };
          expect(refusedByDoc(contact)).not.toBe("");
          await expectRefused("/api/contact", "POST", key, contact, "customAttributes.note", "maxLength");
          const attribute = { displayName: display, type: "text" };
          expect(allowedBy(attributeInput)(attribute)).not.toBe("");
          await expectRefused("/api/custom-attributes", "POST", key, attribute, "displayName", "maxLength");
          const source = { name, provider: "form" };
          expect(allowedBy(sourceInput)(source)).not.toBe("");
          await expectRefused("/api/webhook-sources", "POST", key, source, "name", "maxLength");
        },
      ),
      { numRuns: 15 },
    );
  });

  it("maxProperties of customAttributes and of a fieldMap; minProperties of an update", async () => {
    const attributes = limit(property(contactInput, "customAttributes"), "maxProperties");
    const entries = limit(property(sourceInput, "fieldMap"), "maxProperties");
    const over = (max: number) => fc.integer({ min: max + 1, max: max + 5 });
    await fc.assert(
      fc.asyncProperty(over(attributes), over(entries), async (n, m) => {
        const key = await freshKey();
        const many = Object.fromEntries(Array.from({ length: n }, (_, i) => [`a${i}`, i]));
        const contact = { primaryPhone: freshPhone(), customAttributes: many };
        expect(refusedByDoc(contact)).not.toBe("");
        await expectRefused("/api/contact", "POST", key, contact, "customAttributes", "tooManyAttributes");
        const fieldMap = Object.fromEntries(Array.from({ length: m }, (_, i) => [`field ${i}`, "city"]));
        const source = { name: "Form", provider: "form", fieldMap };
        expect(allowedBy(sourceInput)(source)).not.toBe("");
        await expectRefused("/api/webhook-sources", "POST", key, source, "fieldMap", "tooManyFieldMapEntries");
      }),
      { numRuns: 5 },
    );
    expect(resolve(contactUpdate).minProperties).toBe(1);
    const key = await freshKey();
    const { id } = await createContact(key);
    expect(allowedBy(contactUpdate)({})).not.toBe("");
    await expectRefused(`/api/contact/${id}`, "PATCH", key, {}, "body", "noFields");
  });

  it("pattern: attribute names, e-mail addresses, fieldMap names and targets, NUL in text", async () => {
    // Drawn by the server's own rules (a filter on the document's could never pass if the document
    // lost its rule, and spin forever): the document must refuse each one too.
    const badName = fc
      .oneof(fc.string(), fc.constantFrom("Age", "2nd", "_x", "a-b", "a".repeat(65), "__proto__"))
      .filter((k) => !ATTRIBUTE_NAME.test(k));
    // Blank or padded addresses are not cases: the server reads them as "not set", or trims them.
    const badEmail = fc
      .oneof(fc.string({ maxLength: 40 }), fc.constantFrom("a@b", "a@b.c", ".a@b.co", "a..b@c.co", "a@-b.co", "é@x.co"))
      .filter((s) => s.trim() !== "" && s === s.trim() && !z.regexes.email.test(s));
    const badTarget = fc
      .oneof(fc.string(), fc.constantFrom("customAttributes", "customAttributes.Age", "City", "id"))
      .filter((v) => !isFieldMapTarget(v));
    await fc.assert(
      fc.asyncProperty(fewShrinks(badName), async (name) => {
        const body = { primaryPhone: freshPhone(), customAttributes: { [name]: 1 } };
        expect(refusedByDoc(JSON.parse(JSON.stringify(body)))).not.toBe("");
        const path = `customAttributes.${name}`;
        await expectRefused("/api/contact", "POST", await freshKey(), body, path, "invalidAttributeName");
      }),
      { numRuns: 20 },
    );
    await fc.assert(
      fc.asyncProperty(fewShrinks(badEmail), async (value) => {
        const body = { primaryPhone: freshPhone(), primaryEmail: value };
        expect(refusedByDoc(body)).not.toBe("");
        await expectRefused("/api/contact", "POST", await freshKey(), body, "primaryEmail", "isEmail");
      }),
      { numRuns: 20 },
    );
    await fc.assert(
      fc.asyncProperty(fewShrinks(badTarget), async (value) => {
        const body = { name: "Form", provider: "form", fieldMap: { email_field: value } };
        expect(allowedBy(sourceInput)(body)).not.toBe("");
        const key = await freshKey();
        await expectRefused("/api/webhook-sources", "POST", key, body, "fieldMap.email_field", "invalidFieldMapTarget");
      }),
      { numRuns: 20 },
    );
    const key = await freshKey();
    const proto = { name: "Form", provider: "form", fieldMap: JSON.parse('{"__proto__":"city"}') };
    expect(allowedBy(sourceInput)(proto)).not.toBe("");
    await expectRefused("/api/webhook-sources", "POST", key, proto, "fieldMap.__proto__", "reservedKey");
    const nul = { primaryPhone: freshPhone(), city: "Ra\u0000bat" };
    expect(refusedByDoc(nul)).not.toBe("");
    await expectRefused("/api/contact", "POST", key, nul, "city", "controlCharacter");
    const blank = { primaryPhone: freshPhone(), channels: ["sms", "  "] };
    expect(refusedByDoc(blank)).not.toBe("");
    await expectRefused("/api/contact", "POST", key, blank, "channels.1", "minLength");
  });

  it("enum: gender, an attribute's type, a source's provider and country", async () => {
    // Drawn outside the server's own lists: the document must refuse each value too.
    const outside = (values: readonly string[]) =>
      fc
        .oneof(fc.string({ maxLength: 8 }), fc.constantFrom("Male", "FEMALE", "other", "TEXT", "zz", "XX"))
        .filter((s) => !values.includes(s));
    // The server also reads a country in lower case or padded: none of those either.
    const notACountry = outside([]).filter((c) => !isSupportedCountry(c.trim().toUpperCase()));
    await fc.assert(
      fc.asyncProperty(
        fewShrinks(outside(GENDERS)),
        fewShrinks(outside(ATTRIBUTE_TYPES)),
        fewShrinks(outside(WEBHOOK_PROVIDERS)),
        fewShrinks(notACountry),
        async (gender, type, provider, country) => {
          const key = await freshKey();
          const contact = { primaryPhone: freshPhone(), gender };
          expect(refusedByDoc(contact)).not.toBe("");
          await expectRefused("/api/contact", "POST", key, contact, "gender", "isIn");
          const attribute = { displayName: "Customer tier", type };
          expect(allowedBy(attributeInput)(attribute)).not.toBe("");
          await expectRefused("/api/custom-attributes", "POST", key, attribute, "type", "isIn");
          const source = { name: "Form", provider, defaultCountry: "MA" };
          expect(allowedBy(sourceInput)(source)).not.toBe("");
          await expectRefused("/api/webhook-sources", "POST", key, source, "provider", "isIn");
          const located = { name: "Form", provider: "form", defaultCountry: country };
          expect(allowedBy(sourceInput)(located)).not.toBe("");
          await expectRefused("/api/webhook-sources", "POST", key, located, "defaultCountry", "unsupportedCountry");
        },
      ),
      { numRuns: 25 },
    );
  });
});
