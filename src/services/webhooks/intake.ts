import type { Db } from "../../db/client";
import {
  abortIfEventLogged,
  findDeliveryByEvent,
  insertAcceptedDelivery,
  insertRejectedDelivery,
  type Rejection,
  rejectionOf,
  type WebhookDeliveryRow,
} from "../../db/webhook-deliveries";
import type { WebhookSourceRow } from "../../db/webhook-sources";
import { sha256Hex } from "../../lib/crypto";
import { ApiError, ERRORS, type FieldError, validationError } from "../../lib/errors";
import { uuidv7 } from "../../lib/ids";
import { SIGNING_PROVIDERS, type SigningProvider, verifySignature } from "../../lib/signatures";
import type { FieldMap } from "../../schemas/webhook-source";
import { validateContact } from "../contact-validation";
import { type Emit, noEvents } from "../events/outbox";
import { withOrgContext } from "../org-context";
import { upsertOneContact } from "../upsert";
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

interface Delivery {
  headers: Headers;
  body: Uint8Array;
}

const badSignature = () => new ApiError("UNAUTHORIZED", { message: "The delivery's signature is missing or wrong" });

const isSigningProvider = (p: string): p is SigningProvider => (SIGNING_PROVIDERS as readonly string[]).includes(p);

/** The error a rejection answers with; `deliveryId` points at the kept payload in the delivery log. */
function rejectionError(rejection: Rejection, deliveryId: string): ApiError {
  const { code, message, fieldErrors } = rejection;
  return new ApiError(code, { message, fieldErrors, extra: { deliveryId } });
}

function unprocessable(fieldErrors: FieldError[]): Rejection {
  const summary = fieldErrors.map((e) => `${e.path}: ${e.code}`).join("; ");
  return { code: "UNPROCESSABLE_DELIVERY", message: `The delivery cannot become a contact (${summary})`, fieldErrors };
}

const UNREADABLE = {
  json: { code: "INVALID_JSON", message: "Request body is not valid JSON", fieldErrors: [] },
  form: {
    code: "UNPROCESSABLE_DELIVERY",
    message: "The delivery cannot become a contact (the form data cannot be read)",
    fieldErrors: [],
  },
} satisfies Record<string, Rejection>;

/** `401` unless the source has no secret, or the delivery carries its provider's valid signature. */
async function checkSignature(source: WebhookSourceRow, { headers, body }: Delivery, now: number) {
  if (source.secret === null) return;
  const signed =
    isSigningProvider(source.provider) && (await verifySignature(source.provider, source.secret, body, headers, now));
  if (!signed) throw badSignature();
}

/**
 * The provider's adapter, with the source's field map. A Standard Webhooks delivery to a signed
 * `json` source is deduplicated by its `webhook-id` when its body names no event.
 */
async function adapt(source: WebhookSourceRow, payload: unknown, headers: Headers) {
  const adapted = ADAPTERS[source.provider](payload, JSON.parse(source.fieldMap) as FieldMap);
  // The signature covers webhook-id, so a signed json source can dedupe by it.
  const eventId =
    adapted.eventId ?? (source.provider === "json" && source.secret !== null ? headers.get("webhook-id") : null);
  const id = eventId && eventId.length > MAX_EVENT_ID ? `sha256:${await sha256Hex(eventId)}` : eventId;
  return { input: adapted.input, eventId: id };
}

/**
 * The source's delivery log as one delivery uses it: one entry per event, written in the
 * contact's batch (`accepted`) or alone with the raw payload (`reject`), and the one replay of an
 * event already logged.
 */
function deliveryLog(db: Db, source: WebhookSourceRow, delivery: Delivery) {
  const { organizationId, id: sourceId } = source;
  const contentType = (delivery.headers.get("Content-Type") ?? "").slice(0, 256);
  const entry = (eventId: string | null, fields: Partial<WebhookDeliveryRow> = {}): WebhookDeliveryRow => ({
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

  /** The answer of the event's first delivery, when it is logged: its redelivery writes nothing. */
  async function replayIfLogged(eventId: string | null): Promise<DeliveryAnswer | undefined> {
    const first = eventId ? await findDeliveryByEvent(db, organizationId, sourceId, eventId) : undefined;
    if (!first) return undefined;
    const rejection = rejectionOf(first);
    if (first.status === "rejected" && rejection) throw rejectionError(rejection, first.id);
    return { contactId: first.contactId as string, status: "duplicate" };
  }

  return {
    contentType,
    replayIfLogged,
    /** The statements that log an accepted delivery in its contact's batch, at most once per event. */
    accepted(eventId: string | null, phone: string, createdId: string) {
      const logged = insertAcceptedDelivery(db, entry(eventId), phone, createdId);
      return eventId ? [abortIfEventLogged(db, organizationId, sourceId, eventId), logged] : [logged];
    },
    /** Keeps the raw payload with the reason, then refuses; a concurrent twin of the event answers as it did. */
    async reject(eventId: string | null, rejection: Rejection): Promise<DeliveryAnswer> {
      const rejected = entry(eventId, {
        httpStatus: ERRORS[rejection.code].status,
        reason: JSON.stringify(rejection),
        payload: new TextDecoder().decode(delivery.body),
      });
      if (!(await insertRejectedDelivery(db, rejected))) {
        const replayed = await replayIfLogged(eventId);
        if (replayed) return replayed;
      }
      throw rejectionError(rejection, rejected.id);
    },
  };
}

/**
 * One delivery to a source (docs/webhooks.md), its body already read, as a pipeline:
 * check (media type `415`, signature `401`) → read the payload → adapt it to a contact input →
 * answer a logged event's redelivery as its first delivery was answered → validate (the same two
 * halves as `POST /api/contact`) and commit the contact with its log entry in one batch, or reject
 * (`400` unreadable JSON, `422` no usable contact), logging the raw payload alone. A delivery
 * without an event id is never deduplicated. The contact's event goes through `emit`, in the
 * contact's batch.
 */
export async function receiveDelivery(
  db: Db,
  source: WebhookSourceRow,
  delivery: Delivery,
  now = Date.now(),
  emit: Emit = noEvents,
): Promise<DeliveryAnswer> {
  const kind = mediaKindOf(delivery.headers.get("Content-Type"));
  await checkSignature(source, delivery, now);
  const log = deliveryLog(db, source, delivery);

  const parsed = await parsePayload(kind, delivery.body, log.contentType);
  if (!parsed.ok) return log.reject(null, parsed.code === "INVALID_JSON" ? UNREADABLE.json : UNREADABLE.form);
  const { input, eventId } = await adapt(source, parsed.payload, delivery.headers);
  const replayed = await log.replayIfLogged(eventId);
  if (replayed) return replayed;

  try {
    const { contact, outcome } = await withOrgContext(
      db,
      source.organizationId,
      async (org) => {
        const valid = await validateContact(await coerceAttributes(input, org), org);
        if (!valid.ok) throw validationError(valid.fieldErrors);
        const { primaryPhone } = valid.input;
        const logged = (createdId: string) => log.accepted(eventId, primaryPhone, createdId);
        return upsertOneContact(db, source.organizationId, valid.input, logged, org.writeGuards(), emit);
      },
      (org) => withSourceCountry(org, source),
    );
    return { contactId: contact.id, status: outcome };
  } catch (err) {
    if (err instanceof ApiError && err.code === "VALIDATION_FAILED") {
      return log.reject(eventId, unprocessable(err.fieldErrors));
    }
    // The usual cause: a concurrent delivery of the same event committed first, and our batch,
    // contact included, was rolled back by its guard.
    const twin = await log.replayIfLogged(eventId);
    if (twin) return twin;
    throw err;
  }
}
