import * as z from "zod";

/**
 * A query parameter that must be a whole number. Only plain digits become a number: `1e2`,
 * `0x10`, ` 5` or `5.0` stay strings and fail as "must be an integer", where `z.coerce`
 * would quietly accept them.
 *
 * @example z.strictObject({ page: wholeNumber(1).default(1) }).parse({ page: "2" }) // { page: 2 }
 */
export const wholeNumber = (min: number, max?: number) => {
  const int = z.int().min(min);
  return z.preprocess(
    (v) => (typeof v === "string" && /^\d{1,16}$/.test(v) ? Number(v) : v),
    max === undefined ? int : int.max(max),
  );
};

/** `/:id` of any resource: a UUID, compared lower-case as ids are stored. */
export const idParamSchema = z.strictObject({ id: z.uuid().transform((id) => id.toLowerCase()) });

/** C0 control characters and DEL: never meaningful in a query parameter, and NUL breaks the search index. */
const isControl = (code: number) => code < 0x20 || code === 0x7f;

function hasRefused(value: string, controls: boolean): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0 || (!controls && isControl(code))) return true;
  }
  return false;
}

/**
 * The JSON Schema `pattern` of what {@link text} accepts beyond its length limits: no refused
 * character, and (when `min` > 0) at least `min` code points left once trimmed. JS's `trim()`
 * removes exactly what `\s` matches, so the pattern and the rule agree.
 */
function textPattern(min: number, controls: boolean): string {
  const refused = controls ? "\\u0000" : "\\u0000-\\u001f\\u007f";
  const any = `[^${refused}]`;
  const solid = `[^\\s${refused}]`;
  if (min === 0) return `^${any}*$`;
  if (min === 1) return `^\\s*${solid}(?:${any}*${solid})?\\s*$`;
  return `^\\s*${solid}${any}{${min - 2},}${solid}\\s*$`;
}

/**
 * A trimmed string of `min` (default 0) to `max` characters, counted as JSON Schema counts them
 * (code points, so an emoji is one), that is well-formed Unicode: a lone surrogate (`"\ud800"`)
 * would be stored as U+FFFD, so what a write echoes would differ from what a read returns.
 * `controls: false` also refuses control characters (query parameters); NUL is refused everywhere.
 * The OpenAPI document states all of it but well-formedness (`minLength`, `maxLength`, `pattern`).
 *
 * @example text(64).parse("  Ada  ") // "Ada"
 */
export function text(max: number, options: { min?: number; controls?: boolean } = {}) {
  const { min = 0, controls = true } = options;
  return z
    .string()
    .trim()
    .superRefine((value, ctx) => {
      if (!value.isWellFormed()) {
        ctx.addIssue({ code: "custom", message: "invalidUnicode", params: { code: "invalidUnicode" } });
      } else if (hasRefused(value, controls)) {
        ctx.addIssue({ code: "custom", message: "controlCharacter", params: { code: "controlCharacter" } });
      } else if (codePoints(value) > max) {
        ctx.addIssue({ code: "too_big", origin: "string", maximum: max, inclusive: true, input: value });
      } else if (codePoints(value) < min) {
        ctx.addIssue({ code: "too_small", origin: "string", minimum: min, inclusive: true, input: value });
      }
    })
    .meta({ ...(min > 0 ? { minLength: min } : {}), maxLength: max, pattern: textPattern(min, controls) });
}

/** The length of a string in code points. */
export function codePoints(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

/** The first `max` code points of `value`: never half a surrogate pair. */
export const cutCodePoints = (value: string, max: number) =>
  codePoints(value) <= max ? value : [...value].slice(0, max).join("");
