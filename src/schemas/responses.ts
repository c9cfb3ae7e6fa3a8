import * as z from "zod";
import { ERROR_CODES } from "../lib/errors";
import { roleSchema } from "./api-key";
import { attributeValue } from "./contact";
import { CONTACT_TEXT_FIELD_NAMES, type ContactTextField, GENDERS } from "./contact-fields";
import { ATTRIBUTE_TYPES } from "./custom-attribute";
import { ATTEMPT_STATUSES, EVENT_TYPES } from "./webhook-endpoint";
import { WEBHOOK_PROVIDERS } from "./webhook-source";

// What the API answers, in zod: the OpenAPI document is generated from these, and the test suite
// validates every response it receives against that document. Handlers do not parse their output
// with them (that would cost CPU on every request); test/schemas/responses.test.ts keeps them
// in step with `toContact` and `ErrorCode`.

const id = z.uuid();
/** ISO 8601 UTC with milliseconds (docs/api.md#conventions). */
const timestamp = z.iso.datetime({ precision: 3 });
const optionalText = z.string().nullable();

/** The contact object (docs/api.md#the-contact), in its field order. */
export const contactSchema = z
  .object({
    id: id.meta({ description: "UUIDv7: time-ordered." }),
    organizationId: id.meta({ description: "The organization of the API key that created it." }),
    primaryPhone: z
      .string()
      .regex(/^\+[1-9]\d{1,14}$/, "E.164")
      .meta({ description: "E.164; unique among the organization's live contacts." }),
    channels: z.array(z.string()).meta({ description: "`[]` when none." }),
    createdAt: timestamp,
    updatedAt: timestamp.meta({ description: "Advances on every change." }),
    ...(Object.fromEntries(CONTACT_TEXT_FIELD_NAMES.map((f) => [f, optionalText])) as {
      [F in ContactTextField]: typeof optionalText;
    }),
    gender: z.enum(GENDERS).nullable(),
    customAttributes: z.record(z.string(), attributeValue).meta({ description: "`{}` when none." }),
  })
  .meta({ id: "Contact" });

/** The `meta` of a paged list whose `limit` goes up to `maxLimit` (docs/api.md#routes). */
export const pageMetaSchema = (maxLimit: number) =>
  z.strictObject({
    page: z.int().min(1),
    limit: z.int().min(1).max(maxLimit),
    total: z.int().min(0),
    totalPages: z.int().min(0),
    hasNextPage: z.boolean(),
    hasPreviousPage: z.boolean(),
  });
const pageMeta = pageMetaSchema(100);

/** The `meta` of page `page` of `limit` items among `total`. */
export const pageMetaOf = (page: number, limit: number, total: number): z.infer<typeof pageMeta> => {
  const totalPages = Math.ceil(total / limit);
  return { page, limit, total, totalPages, hasNextPage: page < totalPages, hasPreviousPage: page > 1 };
};

const nextCursor = z.string().nullable().meta({
  description: "Pass it as `cursor` for the rows after this page (same other parameters); `null` on the last page.",
});

/** `GET /api/contact`: one page (docs/api.md#list): numbered (`page`), or after a `cursor` (no total). */
export const contactPageSchema = z.strictObject({
  data: z.array(contactSchema),
  meta: z.union([
    pageMeta.extend({ nextCursor }),
    z.strictObject({ limit: z.int().min(1).max(100), hasNextPage: z.boolean(), nextCursor }),
  ]),
});

/** `GET /api/contact/deleted`: tombstones, oldest deletion first (docs/api.md#deleted-since). */
export const deletedContactPageSchema = z.strictObject({
  data: z.array(z.strictObject({ id, deletedAt: timestamp })),
  meta: z.strictObject({ nextCursor }),
});

/** `POST /api/contact/upsert`: one contact per input item, in input order. */
export const contactUpsertResultSchema = z.strictObject({
  data: z.array(contactSchema),
  meta: z.strictObject({ created: z.int().min(0), updated: z.int().min(0), total: z.int().min(0) }),
});

/** `DELETE /api/contact/:id`. */
export const contactDeletedSchema = z.strictObject({ id, deleted: z.literal(true), deletedAt: timestamp });

/** `DELETE /api/contact/:id?erase=true`. */
export const contactErasedSchema = z.strictObject({ id, erased: z.literal(true) });

/** A custom attribute definition (docs/api.md#custom-attributes). */
export const customAttributeSchema = z.strictObject({
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
export const customAttributeDeletedSchema = z.strictObject({ id, deleted: z.literal(true), deletedAt: timestamp });

/** A webhook source as listed: never its token or secret. */
export const webhookSourceSchema = z.strictObject({
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
  /** Rejected deliveries whose raw payload was dropped by the per-source cap on stored payloads. */
  droppedPayloads: z.int().min(0),
});

/** `GET /api/webhook-sources`: a bare array, revoked sources too. */
export const webhookSourceListSchema = z.array(webhookSourceSchema);

/** `POST /api/webhook-sources`: the source, with its token and intake URL, shown this once. */
export const webhookSourceCreatedSchema = webhookSourceSchema.extend({
  token: z.string().regex(/^whk_[A-Za-z0-9_-]{32}$/),
  url: z.url(),
});

/** `DELETE /api/webhook-sources/:id`. */
export const webhookSourceRevokedSchema = z.strictObject({ id, revoked: z.literal(true), revokedAt: timestamp });

/** One entry of a source's delivery log. */
export const webhookDeliverySchema = z.strictObject({
  id,
  sourceId: id,
  eventId: z.string().nullable(),
  status: z.enum(["created", "updated", "duplicate", "rejected"]),
  httpStatus: z.int(),
  contactId: id.nullable(),
  reason: z.string().nullable(),
  fieldErrors: z.record(z.string(), z.array(z.string())).nullable(),
  fieldDetails: z.record(z.string(), z.array(z.strictObject({ code: z.string() }))).nullable(),
  contentType: z.string().nullable(),
  payload: z.string().nullable(),
  createdAt: timestamp,
});

/** `GET /api/webhook-sources/:id/deliveries`: one page, newest first. */
export const webhookDeliveryPageSchema = z.strictObject({ data: z.array(webhookDeliverySchema), meta: pageMeta });

/** `POST /hooks/:token`. */
export const hookAnswerSchema = z.strictObject({ contactId: id, status: z.enum(["created", "updated", "duplicate"]) });

/** A webhook endpoint as listed: never its secret. */
export const webhookEndpointSchema = z.strictObject({
  id,
  organizationId: id,
  url: z.url(),
  description: z.string().nullable(),
  events: z.array(z.enum(EVENT_TYPES)),
  disabled: z.boolean(),
  createdAt: timestamp,
  updatedAt: timestamp,
  disabledAt: timestamp.nullable(),
});

/** `GET /api/webhook-endpoints`. */
export const webhookEndpointListSchema = z.strictObject({ data: z.array(webhookEndpointSchema) });

/** `POST /api/webhook-endpoints`: the endpoint with its signing secret, shown this once. */
export const webhookEndpointCreatedSchema = webhookEndpointSchema.extend({
  secret: z
    .string()
    .regex(/^whsec_[A-Za-z0-9+/]{43}=$/)
    .meta({ description: "`whsec_` + base64 of 32 random bytes: the Standard Webhooks signing secret." }),
});

/** `DELETE /api/webhook-endpoints/:id`. */
export const webhookEndpointDisabledSchema = z.strictObject({ id, disabled: z.literal(true) });

/** One attempt of one event at an endpoint. */
export const eventAttemptSchema = z.strictObject({
  eventId: id,
  type: z.enum(EVENT_TYPES),
  attempt: z.int().min(1),
  status: z.enum(ATTEMPT_STATUSES),
  responseStatus: z.int().nullable().meta({ description: "null: unreachable, or no answer within 10 s." }),
  durationMs: z.int().min(0),
  nextAttemptAt: timestamp.nullable(),
  createdAt: timestamp,
});

/** `GET /api/webhook-endpoints/:id/deliveries`: one page, newest first. */
export const eventAttemptPageSchema = z.strictObject({ data: z.array(eventAttemptSchema), meta: pageMeta });

/** `POST /api/webhook-endpoints/:id/deliveries/:eventId/retry`. */
export const retryAcceptedSchema = z.strictObject({ eventId: id, endpointId: id, queued: z.literal(true) });

/** The body of a `contact.created` or `contact.updated` delivery. */
export const contactChangedEventSchema = z
  .strictObject({
    type: z.enum(["contact.created", "contact.updated"]),
    timestamp: timestamp.meta({ description: "When the change happened: the contact's `updatedAt`." }),
    data: contactSchema,
  })
  .meta({ id: "ContactChangedEvent" });

/** The body of a `contact.deleted` or `contact.erased` delivery. */
export const contactRemovedEventSchema = z
  .strictObject({
    type: z.enum(["contact.deleted", "contact.erased"]),
    timestamp: timestamp,
    data: z.strictObject({ id, deletedAt: timestamp }),
  })
  .meta({ id: "ContactRemovedEvent" });

/** `GET /api/me`. */
export const meSchema = z.strictObject({
  organizationId: id,
  keyId: id,
  keyName: z.string(),
  role: roleSchema,
});

/** A key as `GET /api/keys` lists it: never the key itself. */
export const apiKeySchema = z
  .strictObject({
    keyId: id,
    name: z.string(),
    role: roleSchema,
    createdAt: timestamp,
    expiresAt: timestamp.nullable(),
    disabled: z.boolean().meta({ description: "`true` once revoked." }),
    lastUsedAt: timestamp
      .nullable()
      .meta({ description: "Approximate: recorded about once an hour per key. `null` when never used." }),
  })
  .meta({ id: "ApiKey" });

/** `GET /api/keys`. */
export const apiKeyListSchema = z.strictObject({ data: z.array(apiKeySchema) });

/** `POST /api/keys`: the key, shown this once. */
export const apiKeyCreatedSchema = z.strictObject({
  key: z.string().regex(/^cek_[A-Za-z0-9_-]{32}$/),
  keyId: id,
  organizationId: id,
  name: z.string(),
  role: roleSchema,
  createdAt: timestamp,
  expiresAt: timestamp.nullable(),
});

/** `DELETE /api/keys/:keyId`. */
export const apiKeyRevokedSchema = z.strictObject({ keyId: id, disabled: z.literal(true) });

/** `GET /health`. */
export const healthSchema = z.strictObject({ status: z.literal("ok") });

/** `GET /openapi.json`: only its frame; the linter checks the rest. */
export const openApiDocumentSchema = z.looseObject({
  openapi: z.literal("3.1.0"),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.looseObject({})),
});

/** The codes of the error table (src/lib/errors.ts). */
export const errorCodeSchema = z.enum(ERROR_CODES);

/** The one error envelope (docs/api.md#errors). The document narrows `statusCode` and `code` per response. */
export const errorEnvelopeSchema = z.strictObject({
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
  fieldDetails: z.record(z.string(), z.array(z.strictObject({ code: z.string() }))).optional(),
  timestamp,
  path: z.string(),
  requestId: z.string(),
});
