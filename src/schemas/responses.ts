import * as z from "zod";
import { apiKeyRecordSchema } from "../db/api-keys";
import { ERROR_CODES } from "../lib/errors";
import { attributeValue } from "./contact";
import { ATTRIBUTE_TYPES } from "./custom-attribute";
import { WEBHOOK_PROVIDERS } from "./webhook-source";

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

/** The `meta` of every paged list (CONTRACT §5). */
const pageMeta = z.object({
  page: z.int().min(1),
  limit: z.int().min(1).max(100),
  total: z.int().min(0),
  totalPages: z.int().min(0),
  hasNextPage: z.boolean(),
  hasPreviousPage: z.boolean(),
});

/** `GET /api/contact`: one page (CONTRACT §5). */
export const contactPageSchema = z.object({ data: z.array(contactSchema), meta: pageMeta });

/** `POST /api/contact/upsert`: one contact per input item, in input order. */
export const contactUpsertResultSchema = z.object({
  data: z.array(contactSchema),
  meta: z.object({ created: z.int().min(0), updated: z.int().min(0), total: z.int().min(0) }),
});

/** `DELETE /api/contact/:id`. */
export const contactDeletedSchema = z.object({ id, deleted: z.literal(true), deletedAt: timestamp });

/** A custom attribute definition (CONTRACT §6). */
export const customAttributeSchema = z.object({
  id,
  organizationId: id,
  name: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/),
  displayName: z.string(),
  description: z.string().nullable(),
  type: z.enum(ATTRIBUTE_TYPES),
  createdAt: timestamp,
  updatedAt: timestamp,
  deletedAt: timestamp.nullable(),
});

/** `GET /api/custom-attributes`: a bare array. */
export const customAttributeListSchema = z.array(customAttributeSchema);

/** `DELETE /api/custom-attributes/:id`. */
export const customAttributeDeletedSchema = z.object({ id, deleted: z.literal(true), deletedAt: timestamp });

/** A webhook source as listed: never its token or secret. */
export const webhookSourceSchema = z.object({
  id,
  organizationId: id,
  name: z.string(),
  provider: z.enum(WEBHOOK_PROVIDERS),
  hasSecret: z.boolean(),
  fieldMap: z.record(z.string(), z.string()),
  defaultCountry: z.string().nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
  revokedAt: timestamp.nullable(),
});

/** `GET /api/webhook-sources`: a bare array, revoked sources too. */
export const webhookSourceListSchema = z.array(webhookSourceSchema);

/** `POST /api/webhook-sources`: the source, with its token and intake URL, shown this once. */
export const webhookSourceCreatedSchema = webhookSourceSchema.extend({
  token: z.string().regex(/^whk_[A-Za-z0-9_-]{32}$/),
  url: z.url(),
});

/** `DELETE /api/webhook-sources/:id`. */
export const webhookSourceRevokedSchema = z.object({ id, revoked: z.literal(true), revokedAt: timestamp });

/** One entry of a source's delivery log. */
export const webhookDeliverySchema = z.object({
  id,
  sourceId: id,
  eventId: z.string().nullable(),
  status: z.enum(["created", "updated", "duplicate", "rejected"]),
  httpStatus: z.int(),
  contactId: id.nullable(),
  reason: z.string().nullable(),
  fieldErrors: z.record(z.string(), z.array(z.string())).nullable(),
  fieldDetails: z.record(z.string(), z.array(z.object({ code: z.string() }))).nullable(),
  contentType: z.string().nullable(),
  payload: z.string().nullable(),
  createdAt: timestamp,
});

/** `GET /api/webhook-sources/:id/deliveries`: one page, newest first. */
export const webhookDeliveryPageSchema = z.object({ data: z.array(webhookDeliverySchema), meta: pageMeta });

/** `POST /hooks/:token`. */
export const hookAnswerSchema = z.object({ contactId: id, status: z.enum(["created", "updated", "duplicate"]) });

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

/** The codes of the error table (src/lib/errors.ts). */
export const errorCodeSchema = z.enum(ERROR_CODES);

/** The one error envelope (CONTRACT §3). The document narrows `statusCode` and `code` per response. */
export const errorEnvelopeSchema = z.object({
  statusCode: z.int().min(400).max(599),
  code: errorCodeSchema,
  error: z.string(),
  message: z.string(),
  /** `CONTACT_EXISTS`, `ATTRIBUTE_EXISTS`: the resource that holds the phone or name. */
  existingId: id.optional(),
  /** A refused webhook delivery: its entry in the source's delivery log, payload kept. */
  deliveryId: id.optional(),
  /** Validation failures only: dotted field path → messages. */
  fieldErrors: z.record(z.string(), z.array(z.string())).optional(),
  /** Validation failures only: dotted field path → machine-readable codes. */
  fieldDetails: z.record(z.string(), z.array(z.object({ code: z.string() }))).optional(),
  timestamp,
  path: z.string(),
  requestId: z.string(),
});
