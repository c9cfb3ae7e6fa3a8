import type { Db } from "../../db/client";
import type { Finalize } from "../../db/idempotency";
import {
  abortIfEventLogged,
  findDeliveryByEvent,
  insertDelivery,
  insertDeliveryIfNew,
  type Rejection,
  rejectionOf,
  type WebhookDeliveryRow,
} from "../../db/webhook-deliveries";
import type { WebhookSourceRow } from "../../db/webhook-sources";
import { sha256Hex } from "../../lib/crypto";
import { ApiError, type FieldError, validationError } from "../../lib/errors";
import { uuidv7 } from "../../lib/ids";
import { SIGNING_PROVIDERS, type SigningProvider, verifySignature } from "../../lib/signatures";
import { fieldErrorsOf } from "../../lib/validation";
import { type ContactCreateInput, contactCreateSchema } from "../../schemas/contact";
import type { FieldMap } from "../../schemas/webhook-source";
import { type OrgContext, resolveInputs } from "../contact-input";
import { type Emit, noEvents } from "../events/outbox";
import { withOrgContext } from "../org-context";
import { upsertContacts } from "../upsert";
import { ADAPTERS } from "./adapters";
import { coerceAttributes } from "./coerce";
import { mediaKindOf, parsePayload } from "./parse";
import { withSourceCountry } from "./source-org-context";

/** Longer provider event ids are stored as their SHA-256, so deduplication still holds. */
const MAX_EVENT_ID = 255;

export interface DeliveryAnswer {
  contactId: string;
  status: "created" | "updated" | "duplicate";
}

const badSignature = () => new ApiError("UNAUTHORIZED", { message: "The delivery's signature is missing or wrong" });

const isSigningProvider = (p: string): p is SigningProvider => (SIGNING_PROVIDERS as readonly string[]).includes(p);

/** The error a rejection answers with; `deliveryId` points at the kept payload in the delivery log. */
function rejectionError(rejection: Rejection, deliveryId: string): ApiError {
  const { code, message, fieldErrors } = rejection;
  return new ApiError(code, { message, fieldErrors, extra: { deliveryId } });
}

/** What the first delivery of an event answered, told to its redelivery, which writes nothing. */
function replay(first: WebhookDeliveryRow): DeliveryAnswer {
  const rejection = rejectionOf(first);
  if (first.status === "rejected" && rejection) throw rejectionError(rejection, first.id);
  return { contactId: first.contactId as string, status: "duplicate" };
}

function unprocessable(fieldErrors: FieldError[]): Rejection {
  const summary = fieldErrors.map((e) => `${e.path}: ${e.code}`).join("; ");
  return { code: "UNPROCESSABLE_DELIVERY", message: `The delivery cannot become a contact (${summary})`, fieldErrors };
}

/**
 * The same two halves of validation as `POST /api/contact`: the schema, then the rules that need
 * the organization (here the source's default country). When the schema fails, the phone is
 * still checked, so one answer lists every problem.
 */
async function validateInput(
  input: Record<string, unknown>,
  org: OrgContext,
): Promise<{ ok: true; input: ContactCreateInput } | { ok: false; fieldErrors: FieldError[] }> {
  const contextErrors = async (candidate: { primaryPhone: string }) => {
    try {
      return { resolved: (await resolveInputs([candidate], org))[0], errors: [] as FieldError[] };
    } catch (err) {
      if (err instanceof ApiError && err.code === "VALIDATION_FAILED")
        return { resolved: undefined, errors: err.fieldErrors };
      throw err;
    }
  };
  const parsed = contactCreateSchema.safeParse(input);
  if (!parsed.success) {
    const errors = fieldErrorsOf(parsed.error);
    const phone = typeof input.primaryPhone === "string" ? input.primaryPhone.trim() : "";
    if (phone !== "" && !errors.some((e) => e.path === "primaryPhone")) {
      errors.push(...(await contextErrors({ primaryPhone: phone })).errors);
    }
    return { ok: false, fieldErrors: errors };
  }
  const { resolved, errors } = await contextErrors(parsed.data);
  return resolved ? { ok: true, input: resolved } : { ok: false, fieldErrors: errors };
}

/**
 * One delivery to a source (docs/webhooks.md), its body already read: media type (`415`),
 * signature when the source has a secret (`401`), then the provider's adapter, the contact
 * validation and the upsert by phone. The delivery log gets one row per event: written in the
 * same atomic batch as the contact, or alone, with the raw payload, when the delivery is
 * refused (`400` unreadable JSON, `422` no usable contact). A redelivery of a logged event writes
 * nothing and answers as the first did (a success as `status: "duplicate"`); a delivery without
 * an event id is never deduplicated. A Standard Webhooks delivery to a signed `json` source is
 * deduplicated by its `webhook-id` when its body names no event. The contact's event goes through
 * `emit`, as for an upsert.
 */
export async function receiveDelivery(
  db: Db,
  source: WebhookSourceRow,
  delivery: { headers: Headers; body: Uint8Array },
  now = Date.now(),
  emit: Emit = noEvents,
): Promise<DeliveryAnswer> {
  const { headers, body } = delivery;
  const contentTypeHeader = headers.get("Content-Type");
  const kind = mediaKindOf(contentTypeHeader);
  if (source.secret !== null) {
    const valid =
      isSigningProvider(source.provider) && (await verifySignature(source.provider, source.secret, body, headers, now));
    if (!valid) throw badSignature();
  }

  const { organizationId, id: sourceId } = source;
  const contentType = (contentTypeHeader ?? "").slice(0, 256);
  const row = (eventId: string | null, fields: Partial<WebhookDeliveryRow>): WebhookDeliveryRow => ({
    id: uuidv7(),
    organizationId,
    sourceId,
    eventId,
    status: "rejected",
    httpStatus: 422,
    contactId: null,
    reason: null,
    payload: null,
    contentType,
    createdAt: new Date().toISOString(),
    ...fields,
  });

  /** Keeps the raw payload with the reason, then refuses; a concurrent twin of the event answers as it did. */
  const reject = async (
    eventId: string | null,
    httpStatus: 400 | 422,
    rejection: Rejection,
  ): Promise<DeliveryAnswer> => {
    const rejected = row(eventId, {
      httpStatus,
      reason: JSON.stringify(rejection),
      payload: new TextDecoder().decode(body),
    });
    if (!(await insertDeliveryIfNew(db, rejected)) && eventId) {
      const first = await findDeliveryByEvent(db, organizationId, sourceId, eventId);
      if (first) return replay(first);
    }
    throw rejectionError(rejection, rejected.id);
  };

  const parsed = await parsePayload(kind, body, contentType);
  if (!parsed.ok) {
    return parsed.code === "INVALID_JSON"
      ? reject(null, 400, { code: "INVALID_JSON", message: "Request body is not valid JSON", fieldErrors: [] })
      : reject(null, 422, {
          code: "UNPROCESSABLE_DELIVERY",
          message: "The delivery cannot become a contact (the form data cannot be read)",
          fieldErrors: [],
        });
  }

  const adapted = ADAPTERS[source.provider](parsed.payload, JSON.parse(source.fieldMap) as FieldMap);
  // The signature covers webhook-id, so a signed json source can dedupe by it.
  const providerEventId =
    adapted.eventId ?? (source.provider === "json" && source.secret !== null ? headers.get("webhook-id") : null);
  const eventId =
    providerEventId && providerEventId.length > MAX_EVENT_ID
      ? `sha256:${await sha256Hex(providerEventId)}`
      : providerEventId;
  if (eventId) {
    const first = await findDeliveryByEvent(db, organizationId, sourceId, eventId);
    if (first) return replay(first);
  }

  const finalize: Finalize = (_status, answer) => {
    const { data, meta } = answer as { data: { id: string }[]; meta: { created: number } };
    const accepted = row(eventId, {
      status: meta.created > 0 ? "created" : "updated",
      httpStatus: 200,
      contactId: data[0]?.id ?? null,
    });
    return eventId
      ? [abortIfEventLogged(db, organizationId, sourceId, eventId), insertDelivery(db, accepted)]
      : [insertDelivery(db, accepted)];
  };
  try {
    const result = await withOrgContext(
      db,
      organizationId,
      async (org) => {
        const valid = await validateInput(await coerceAttributes(adapted.input, org), org);
        if (!valid.ok) throw validationError(valid.fieldErrors);
        return upsertContacts(db, organizationId, [valid.input], finalize, org.writeGuards(), () => "", emit);
      },
      (org) => withSourceCountry(org, source),
    );
    return { contactId: (result.data[0] as { id: string }).id, status: result.outcomes[0] ?? "created" };
  } catch (err) {
    if (err instanceof ApiError && err.code === "VALIDATION_FAILED") {
      return reject(eventId, 422, unprocessable(err.fieldErrors));
    }
    // The usual cause: a concurrent delivery of the same event committed first, and our batch,
    // contact included, was rolled back by the guard.
    if (eventId) {
      const first = await findDeliveryByEvent(db, organizationId, sourceId, eventId);
      if (first) return replay(first);
    }
    throw err;
  }
}
