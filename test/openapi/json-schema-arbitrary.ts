import { format } from "@cfworker/json-schema";
import fc from "fast-check";

export type JsonSchema = { readonly [keyword: string]: unknown };

// A JSON Schema → fast-check arbitrary for the subset the document's request schemas use
// (zod-fast-check does not support zod 4, and an arbitrary drawn from the document, not from the
// zod schemas, is what tests that the document tells the whole truth). A keyword outside the
// subset throws rather than being ignored: an ignored rule would produce values the schema
// refuses, and the server's 400 would then look like a finding.

const ANNOTATIONS = new Set(["description", "examples", "example", "title", "default", "deprecated", "readOnly"]);
const SUPPORTED = new Set([
  "$ref",
  "type",
  "enum",
  "const",
  "anyOf",
  "not",
  "minLength",
  "maxLength",
  "pattern",
  "format",
  "minimum",
  "maximum",
  "items",
  "minItems",
  "maxItems",
  "properties",
  "required",
  "additionalProperties",
  "propertyNames",
  "minProperties",
  "maxProperties",
]);
const KEYWORDS_OF_TYPE: Record<string, string[]> = {
  string: ["minLength", "maxLength", "pattern", "format"],
  number: ["minimum", "maximum"],
  integer: ["minimum", "maximum"],
  array: ["items", "minItems", "maxItems"],
  object: ["properties", "required", "additionalProperties", "propertyNames", "minProperties", "maxProperties"],
  boolean: [],
  null: [],
};

/** The length of a string as JSON Schema counts it: in code points. */
const codePoints = (value: string) => [...value].length;

/**
 * Strings that broke parsers before: prototype names, blanks, NUL and other controls, a BOM,
 * line separators, astral and combining characters. Each schema keeps those it allows.
 */
const TRICKY_STRINGS = [
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "",
  " ",
  "\t\n",
  "\u0000",
  "a\u0000b",
  "\u0007\u001f\u007f",
  "\uFEFFx",
  "x\u2028y\u2029",
  "😀",
  "👩🏽‍💻",
  "e\u0301",
  "𝟘𝟙𝟚",
  "\u202Eevil",
  "null",
  "0",
  "true",
];

const ASTRAL = fc.integer({ min: 0x10000, max: 0x10ffff }).map((c) => String.fromCodePoint(c));
/** What `trim()` removes (a sample): a server that trims before counting sees fewer characters. */
const WHITESPACE = fc.constantFrom(" ", "\t", "\n", "\r", "\u00a0", "\u2003", "\u2028", "\u3000", "\ufeff");

/** Any string of `min` to `max` code points (well-formed: JSON Schema's strings are Unicode strings). */
function codePointString(min: number, max: number): fc.Arbitrary<string> {
  const exactly = (n: number) =>
    fc.oneof(
      fc.string({ unit: "binary", minLength: n, maxLength: n }),
      fc.string({ unit: "grapheme-ascii", minLength: n, maxLength: n }),
      // Two UTF-16 units each: where counting code units instead of code points goes wrong.
      fc.string({ unit: ASTRAL, minLength: n, maxLength: n }),
    );
  return fc.oneof(
    fc.string({ unit: "binary", minLength: min, maxLength: max }),
    fc.string({ unit: "grapheme-ascii", minLength: min, maxLength: max }),
    // A grapheme may be several code points: cut to `max` (still ≥ `min` code points).
    fc.string({ unit: "grapheme", minLength: min, maxLength: max }).map((s) => [...s].slice(0, max).join("")),
    // The boundaries, which a size-bounded generator would rarely reach.
    exactly(max),
    exactly(min),
    // Blank, and padded: as long as allowed as sent, shorter once trimmed.
    fc.string({ unit: WHITESPACE, minLength: min, maxLength: max }),
    fc
      .tuple(fc.string({ unit: WHITESPACE, minLength: 1, maxLength: 3 }), fc.string({ maxLength: 3 }))
      .map(([pad, core]) => `${pad}${core}${pad}`),
    fc.constantFrom(...TRICKY_STRINGS),
  );
}

function unsupported(schema: JsonSchema, where: string, what: string): never {
  throw new Error(`${where}: ${what} is not supported by this arbitrary (${JSON.stringify(schema).slice(0, 200)})`);
}

function stringArbitrary(schema: JsonSchema, where: string): fc.Arbitrary<string> {
  const min = (schema.minLength as number | undefined) ?? 0;
  const max = (schema.maxLength as number | undefined) ?? min + 100;
  const pattern = schema.pattern === undefined ? undefined : new RegExp(schema.pattern as string, "u");
  const formatCheck = schema.format === undefined ? undefined : format[schema.format as keyof typeof format];
  if (schema.format !== undefined && (schema.format !== "email" || pattern === undefined)) {
    unsupported(schema, where, `format ${String(schema.format)} (email is, with the pattern the server applies)`);
  }
  const fits = (v: string) => {
    const n = codePoints(v);
    return n >= min && n <= max && (!pattern || pattern.test(v)) && (!formatCheck || formatCheck(v));
  };
  const free = codePointString(min, max);
  if (!pattern) return free.filter(fits);
  // Free strings still matter for a pattern that is mostly a character class (`^[^\u0000]*$`).
  return fc
    .oneof({ arbitrary: fc.stringMatching(pattern, { maxLength: max }), weight: 3 }, { arbitrary: free, weight: 1 })
    .filter(fits);
}

function numberArbitrary(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = schema.minimum as number | undefined;
  const max = schema.maximum as number | undefined;
  const int = fc.integer({ min: min ?? Number.MIN_SAFE_INTEGER, max: max ?? Number.MAX_SAFE_INTEGER });
  if (integer) return int;
  return fc.oneof(int, fc.double({ noNaN: true, noDefaultInfinity: true, min, max }));
}

function objectArbitrary(
  schema: JsonSchema,
  where: string,
  of: (s: JsonSchema, w: string) => fc.Arbitrary<unknown>,
): fc.Arbitrary<Record<string, unknown>> {
  const minProperties = (schema.minProperties as number | undefined) ?? 0;
  const maxProperties = schema.maxProperties as number | undefined;
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  const additional = schema.additionalProperties as JsonSchema | boolean | undefined;
  if (properties) {
    if (additional !== false && additional !== undefined)
      unsupported(schema, where, "properties with additionalProperties");
    if (schema.propertyNames !== undefined) unsupported(schema, where, "properties with propertyNames");
    const required = (schema.required as string[] | undefined) ?? [];
    for (const name of required)
      if (!(name in properties)) unsupported(schema, where, `required ${name} without a schema`);
    const record = fc.record(
      Object.fromEntries(Object.entries(properties).map(([name, s]) => [name, of(s, `${where}.${name}`)])),
      { requiredKeys: required },
    );
    const count = (o: object) => Object.keys(o).length;
    return record.filter(
      (o) => count(o) >= minProperties && (maxProperties === undefined || count(o) <= maxProperties),
    );
  }
  if (typeof additional !== "object") unsupported(schema, where, "an object without properties or a value schema");
  const names = (schema.propertyNames as JsonSchema | undefined) ?? {};
  const key = of({ type: "string", ...names }, `${where}(propertyName)`) as fc.Arbitrary<string>;
  const value = of(additional, `${where}.*`);
  const max = maxProperties ?? minProperties + 10;
  return fc.oneof(
    fc.dictionary(key, value, { minKeys: minProperties, maxKeys: max }),
    // As many keys as allowed: a dictionary sized by default would not get near a limit of 100.
    fc.dictionary(key, value, { minKeys: max, maxKeys: max }),
  );
}

/** `not` is supported for what it is used for here: excluding a few values (`not: { const: "__proto__" }`). */
function notValues(not: JsonSchema, where: string): unknown[] {
  const keys = Object.keys(not);
  if (keys.length === 1 && keys[0] === "const") return [not.const];
  if (keys.length === 1 && keys[0] === "enum") return not.enum as unknown[];
  return unsupported(not, where, "not, other than of a const or an enum");
}

function arrayArbitrary(schema: JsonSchema, items: fc.Arbitrary<unknown>): fc.Arbitrary<unknown[]> {
  const minLength = (schema.minItems as number | undefined) ?? 0;
  const maxLength = (schema.maxItems as number | undefined) ?? minLength + 10;
  return fc.oneof(fc.array(items, { minLength, maxLength }), fc.array(items, { minLength: maxLength, maxLength }));
}

/**
 * The values `schema` allows, `$ref`s resolved among `components`.
 *
 * @example fc.sample(arbitraryOf({ type: ["string", "null"], maxLength: 3 }, {}), 3) // ["a😀", null, ""]
 */
export function arbitraryOf(
  schema: JsonSchema,
  components: Record<string, JsonSchema>,
  where = "#",
): fc.Arbitrary<unknown> {
  if (schema.not !== undefined) {
    const { not, ...rest } = schema;
    const excluded = notValues(not as JsonSchema, where);
    return arbitraryOf(rest, components, where).filter((v) => !excluded.includes(v));
  }
  const of = (s: JsonSchema, w: string) => arbitraryOf(s, components, w);
  for (const keyword of Object.keys(schema)) {
    if (!SUPPORTED.has(keyword) && !ANNOTATIONS.has(keyword)) unsupported(schema, where, `keyword ${keyword}`);
  }
  if (schema.$ref !== undefined) {
    const name = /^#\/components\/schemas\/(.+)$/.exec(schema.$ref as string)?.[1];
    const target = name === undefined ? undefined : components[name];
    if (!target || Object.keys(schema).some((k) => k !== "$ref" && !ANNOTATIONS.has(k))) {
      unsupported(schema, where, "this $ref");
    }
    return of(target, `${where}→${name}`);
  }
  if (schema.anyOf !== undefined) {
    if (Object.keys(schema).some((k) => k !== "anyOf" && !ANNOTATIONS.has(k))) {
      unsupported(schema, where, "anyOf beside other keywords");
    }
    return fc.oneof(...(schema.anyOf as JsonSchema[]).map((s, i) => of(s, `${where}/anyOf/${i}`)));
  }
  const types = schema.type === undefined ? undefined : [schema.type as string | string[]].flat();
  const typeOf = (v: unknown) =>
    v === null ? "null" : Array.isArray(v) ? "array" : Number.isInteger(v) ? "integer" : typeof v;
  const ofType = (v: unknown) =>
    !types || types.includes(typeOf(v)) || (typeOf(v) === "integer" && types.includes("number"));
  if (schema.const !== undefined) return fc.constant(schema.const).filter(ofType);
  if (schema.enum !== undefined) {
    const values = (schema.enum as unknown[]).filter(ofType);
    if (values.length === 0) unsupported(schema, where, "an enum none of whose values has the type");
    return fc.constantFrom(...values);
  }
  if (!types) unsupported(schema, where, "a schema without type, enum, const, anyOf or $ref");
  const arbitraries = types.map((type) => {
    const own = KEYWORDS_OF_TYPE[type];
    if (!own) unsupported(schema, where, `type ${type}`);
    const sub = Object.fromEntries(Object.entries(schema).filter(([k]) => own.includes(k) || ANNOTATIONS.has(k)));
    switch (type) {
      case "string":
        return stringArbitrary(sub, where);
      case "number":
      case "integer":
        return numberArbitrary(sub, type === "integer");
      case "boolean":
        return fc.boolean();
      case "null":
        return fc.constant(null);
      case "array":
        if (typeof sub.items !== "object") unsupported(schema, where, "an array without an items schema");
        return arrayArbitrary(sub, of(sub.items as JsonSchema, `${where}[]`));
      default:
        return objectArbitrary(sub, where, of);
    }
  });
  for (const keyword of Object.keys(schema)) {
    const used = types.some((t) => KEYWORDS_OF_TYPE[t]?.includes(keyword));
    if (SUPPORTED.has(keyword) && keyword !== "type" && !used) unsupported(schema, where, `${keyword} for ${types}`);
  }
  return arbitraries.length === 1 ? (arbitraries[0] as fc.Arbitrary<unknown>) : fc.oneof(...arbitraries);
}
