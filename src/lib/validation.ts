import type * as z from "zod";
import type { FieldError } from "./errors";

type Issue = z.core.$ZodIssue;

const joinPath = (path: PropertyKey[]) => path.map(String).join(".");

const TYPE_NAMES: Record<string, string> = {
  string: "a string",
  number: "a finite number",
  int: "an integer",
  boolean: "a boolean",
  object: "an object",
  array: "an array",
};

/** Messages name the field, never the submitted value. */
const CUSTOM_MESSAGES: Record<string, (field: string) => string> = {
  invalidFieldMapTarget: (f) => `${f} must be a contact field (primaryPhone, firstName, …) or customAttributes.<name>`,
  tooManyFieldMapEntries: (f) => `${f} must have at most 100 entries`,
  unsupportedCountry: (f) => `${f} must be an ISO 3166-1 alpha-2 country code with phone numbering (MA, FR, US, …)`,
  secretNotSupported: (f) =>
    `${f} is only supported for providers that sign deliveries: typeform, tally, webflow, json`,
  invalidStandardWebhooksSecret: (f) =>
    `${f} of a json source must be a Standard Webhooks secret: whsec_ + base64 of 16+ bytes`,
  insecureUrl: (f) => `${f} must use https:// (http:// only for localhost and 127.0.0.1 in local development)`,
  invalidAttributeName: (f) =>
    `${f} is not a valid attribute name: a lowercase letter, then lowercase letters, digits or _, at most 64 characters`,
  tooManyAttributes: (f) => `${f} must have at most 100 keys`,
  attributesTooLarge: (f) => `${f} must be at most 16 KB when serialised`,
  noFields: () => "at least one field must be given",
  invalidUnicode: (f) => `${f} must be well-formed Unicode (no lone surrogate)`,
  controlCharacter: (f) => `${f} must not contain control characters`,
  reservedKey: (f) => `${f} is a reserved name`,
  notInFuture: (f) => `${f} must be in the future`,
  immutableField: (f) => `${f} cannot be changed: delete the attribute and define it again`,
  invalidCursor: (f) => `${f} is not a cursor of this API: pass meta.nextCursor as it was received`,
  cursorMismatch: (f) => `${f} was made for another query: keep every other parameter as it was for the first page`,
  cursorWithPage: (f) => `${f} and page cannot be used together`,
  primaryPhoneNotMapped: (f) => `${f} must map a column to primaryPhone`,
  fieldMappedTwice: (f) => `${f} maps a field that another mapping already maps`,
  columnMappedTwice: (f) => `${f} maps a column that another mapping already maps`,
  noSuchColumn: (f) => `${f} is not a column of the file`,
  emptyFile: (f) => `${f} has no data row`,
  missingFile: (f) => `${f} is required: the CSV file`,
  duplicateFile: (f) => `${f} must be sent once`,
  unknownFormField: (f) => `${f} is not a field of this form: file, hasHeaderRow, previewRows`,
  formFieldTooLong: (f) => `${f} is longer than 100 characters`,
  notTrueOrFalse: (f) => `${f} must be true or false`,
  previewRowsRange: (f) => `${f} must be a whole number from 1 to 100`,
  invalidMultipart: (f) => `${f} is not well-formed multipart/form-data`,
};

/**
 * The field error of a rule of ours (a zod `custom` issue's `params.code`, or a rule checked
 * outside zod, such as the limits of merged attributes), with its message.
 *
 * @example fieldError("data.3.customAttributes", "tooManyAttributes")
 */
export function fieldError(path: string, code: string): FieldError {
  return { path, code, message: CUSTOM_MESSAGES[code]?.(path) ?? `${path} is invalid` };
}

/** Turns one zod issue into field errors keyed by dotted path below `prefix`. */
function toFieldErrors(issue: Issue, prefix: PropertyKey[]): FieldError[] {
  const path = [...prefix, ...issue.path];
  const field = joinPath(path) || "body";
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) => ({
        path: joinPath([...path, key]),
        code: "whitelistValidation",
        message: `property ${key} should not exist`,
      }));
    case "invalid_type": {
      if (/received (undefined|null)$/.test(issue.message)) {
        return [{ path: field, code: "isNotEmpty", message: `${field} should not be empty` }];
      }
      const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
      return [{ path: field, code: "invalidType", message: `${field} must be ${expected}` }];
    }
    case "too_big":
      return issue.origin === "array"
        ? [
            {
              path: field,
              code: "arrayMaxSize",
              message: `${field} must contain no more than ${issue.maximum} elements`,
            },
          ]
        : issue.origin === "string"
          ? [
              {
                path: field,
                code: "maxLength",
                message: `${field} must be shorter than or equal to ${issue.maximum} characters`,
              },
            ]
          : [{ path: field, code: "max", message: `${field} must not be greater than ${issue.maximum}` }];
    case "too_small":
      return issue.origin === "array"
        ? [{ path: field, code: "arrayMinSize", message: `${field} must contain at least ${issue.minimum} elements` }]
        : issue.origin === "string"
          ? [
              {
                path: field,
                code: "minLength",
                message: `${field} must be longer than or equal to ${issue.minimum} characters`,
              },
            ]
          : [{ path: field, code: "min", message: `${field} must not be less than ${issue.minimum}` }];
    case "invalid_format":
      return issue.format === "email"
        ? [{ path: field, code: "isEmail", message: `${field} must be an email` }]
        : [{ path: field, code: "invalidFormat", message: `${field} has an invalid format` }];
    case "invalid_value":
      return [
        {
          path: field,
          code: "isIn",
          message: `${field} must be one of the following values: ${issue.values.map(String).join(", ")}`,
        },
      ];
    case "invalid_union":
      return [
        {
          path: field,
          code: "invalidAttributeValue",
          message: `${field} must be a string of at most 1024 characters, a finite number, a boolean, null, or an array of at most 50 of those`,
        },
      ];
    case "custom":
      return [fieldError(field, (issue.params?.code as string | undefined) ?? "invalid")];
    default:
      return [{ path: field, code: "invalid", message: `${field} is invalid` }];
  }
}

/** Maps a zod error to the envelope's field errors, each path prefixed (`data.3.…`). */
export function fieldErrorsOf(error: { issues: Issue[] }, prefix: PropertyKey[] = []): FieldError[] {
  return error.issues.flatMap((issue) => toFieldErrors(issue, prefix));
}
