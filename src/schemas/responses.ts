import * as z from "zod";
import { apiKeyRecordSchema } from "../db/api-keys";
import { attributeValue } from "./contact";

// What the API answers, in zod: the OpenAPI document is generated from these, and the test suite
// validates every response it receives against that document. Handlers do not parse their output
// with them (that would cost CPU on every request); test/schemas/responses.test.ts keeps them
// in step with `toContact` and `ErrorCode`.

const id = z.uuid();
/** ISO 8601 UTC with milliseconds (CONTRACT §1). */
const timestamp = z.iso.datetime({ precision: 3 });
const optionalText = z.string().nullable();

/** The contact object of CONTRACT §4.2, in its field order. */
export const contactSchema = z.object({
  id,
  organizationId: id,
  primaryPhone: z.string().regex(/^\+[1-9]\d{1,14}$/, "E.164"),
  channels: z.array(z.string()),
  createdAt: timestamp,
  updatedAt: timestamp,
  firstName: optionalText,
  lastName: optionalText,
  fullName: optionalText,
  primaryEmail: optionalText,
  address: optionalText,
  city: optionalText,
  state: optionalText,
  zip: optionalText,
  occupation: optionalText,
  preferredChannel: optionalText,
  gender: z.enum(["male", "female"]).nullable(),
  customAttributes: z.record(z.string(), attributeValue),
});

/** `GET /api/contact`: one page (CONTRACT §5). */
export const contactPageSchema = z.object({
  data: z.array(contactSchema),
  meta: z.object({
    page: z.int().min(1),
    limit: z.int().min(1).max(100),
    total: z.int().min(0),
    totalPages: z.int().min(0),
    hasNextPage: z.boolean(),
    hasPreviousPage: z.boolean(),
  }),
});

/** `POST /api/contact/upsert`: one contact per input item, in input order. */
export const contactUpsertResultSchema = z.object({
  data: z.array(contactSchema),
  meta: z.object({ created: z.int().min(0), updated: z.int().min(0), total: z.int().min(0) }),
});

/** `DELETE /api/contact/:id`. */
export const contactDeletedSchema = z.object({ id, deleted: z.literal(true), deletedAt: timestamp });

/** `GET /api/me`. */
export const meSchema = z.object({
  organizationId: id,
  keyId: id,
  keyName: z.string(),
  role: apiKeyRecordSchema.shape.role,
});

/** `GET /health`. */
export const healthSchema = z.object({ status: z.literal("ok") });

/** `GET /openapi.json`: only its frame; the linter checks the rest. */
export const openApiDocumentSchema = z.looseObject({
  openapi: z.literal("3.1.0"),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.looseObject({})),
});

export const errorCodeSchema = z.enum([
  "VALIDATION_FAILED",
  "INVALID_JSON",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "NOT_FOUND",
  "METHOD_NOT_ALLOWED",
  "CONTACT_EXISTS",
  "ATTRIBUTE_EXISTS",
  "IDEMPOTENCY_IN_PROGRESS",
  "PAYLOAD_TOO_LARGE",
  "UNSUPPORTED_MEDIA_TYPE",
  "IDEMPOTENCY_KEY_REUSED",
  "UNPROCESSABLE_DELIVERY",
  "RATE_LIMITED",
  "INTERNAL_ERROR",
  "SERVICE_UNAVAILABLE",
]);

/** The one error envelope (CONTRACT §3). The document narrows `statusCode` and `code` per response. */
export const errorEnvelopeSchema = z.object({
  statusCode: z.int().min(400).max(599),
  code: errorCodeSchema,
  error: z.string(),
  message: z.string(),
  /** `CONTACT_EXISTS` only: the contact that holds the phone. */
  existingId: id.optional(),
  /** Validation failures only: dotted field path → messages. */
  fieldErrors: z.record(z.string(), z.array(z.string())).optional(),
  /** Validation failures only: dotted field path → machine-readable codes. */
  fieldDetails: z.record(z.string(), z.array(z.object({ code: z.string() }))).optional(),
  timestamp,
  path: z.string(),
  requestId: z.string(),
});
