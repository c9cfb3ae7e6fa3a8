import * as z from "zod";

export type JsonSchema = { [key: string]: unknown };

export type FieldDoc = { description?: string; examples?: unknown[] };

const fieldDocs = new WeakMap<z.ZodObject, Record<string, FieldDoc>>();

/**
 * Documents the fields of an object schema, kept out of the validation schemas so that
 * describing a field never touches the code that validates it. Keyed by object and field name,
 * because one field schema is often shared by several objects. zod's own `.describe()`/`.meta()`
 * work as well.
 *
 * @example describeFields(contactCreateSchema, { zip: { description: "Postal code" } })
 */
export function describeFields<T extends z.ZodObject>(schema: T, docs: { [K in keyof T["shape"]]?: FieldDoc }) {
  fieldDocs.set(schema, { ...fieldDocs.get(schema), ...(docs as Record<string, FieldDoc>) });
}

const accepts = (schema: z.ZodType, value: unknown) => schema.safeParse(value).success;

const withoutNull = (json: JsonSchema): JsonSchema => {
  const branches = json.anyOf;
  if (!Array.isArray(branches)) return json;
  const rest = branches.filter((b: JsonSchema) => b.type !== "null");
  if (rest.length === branches.length) return json;
  const { anyOf: _, ...others } = json;
  return rest.length === 1 ? { ...others, ...rest[0] } : { ...others, anyOf: rest };
};

/** An "any" field that refuses every value: present only to answer a precise error (an immutable field). */
const forbidden = (field: z.ZodType, json: JsonSchema) =>
  Object.keys(json).length === 0 &&
  accepts(field, undefined) &&
  [null, "", "x", 0, true, {}, []].every((v) => !accepts(field, v));

/**
 * zod's input JSON Schema of a `preprocess` step is its target schema, which may accept what a
 * later `.pipe()` refuses (`primaryPhone`: the preprocess admits null, the pipe wants a string),
 * and its `optin` makes every preprocessed key optional. The validator itself has the last word:
 * a key is required when the field refuses `undefined`, `null` is dropped where it refuses null,
 * and a field that refuses everything is not listed (`additionalProperties: false` refuses it).
 * Runs on the finished output: zod's `override` runs before shared subschemas are filled in.
 */
function tightenObject(schema: z.ZodObject, json: JsonSchema) {
  const properties = json.properties as Record<string, JsonSchema> | undefined;
  if (!properties) return;
  const docs = fieldDocs.get(schema) ?? {};
  const required: string[] = [];
  for (const [key, field] of Object.entries(schema.shape) as [string, z.ZodType][]) {
    const property = properties[key];
    if (!property) continue;
    if (forbidden(field, property)) {
      delete properties[key];
      continue;
    }
    if (!accepts(field, undefined)) required.push(key);
    if (field instanceof z.ZodObject) tightenObject(field, property);
    properties[key] = { ...(accepts(field, null) ? property : withoutNull(property)), ...docs[key] };
  }
  if (required.length > 0) json.required = required;
  else delete json.required;
}

const options = (io: "input" | "output") => ({ io, target: "draft-2020-12" }) satisfies z.core.ToJSONSchemaParams;

const finish = (schema: z.ZodType, { $schema: _, $id: __, ...json }: JsonSchema): JsonSchema => {
  if (schema instanceof z.ZodObject) tightenObject(schema, json);
  return json;
};

/**
 * A zod schema as a JSON Schema (draft 2020-12) for an OpenAPI 3.1 document: `input` for what
 * a client sends (requests), `output` for what the API answers.
 *
 * @example toJsonSchema(contactCreateSchema, "input") // { type: "object", required: ["primaryPhone"], … }
 */
export function toJsonSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  return finish(schema, z.toJSONSchema(schema, options(io)) as JsonSchema);
}

/**
 * Named schemas as `components.schemas`, converted together so that one refers to another by
 * `$ref` (`ContactPage` → `#/components/schemas/Contact`) instead of repeating it.
 *
 * @example toComponentSchemas(new Map([[contactSchema, "Contact"]]), "output") // { Contact: { … } }
 */
export function toComponentSchemas(named: Map<z.ZodType, string>, io: "input" | "output"): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [schema, id] of named) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { ...options(io), uri: (id) => `#/components/schemas/${id}` });
  const result: Record<string, JsonSchema> = {};
  for (const [schema, id] of named) result[id] = finish(schema, schemas[id] as JsonSchema);
  return result;
}
