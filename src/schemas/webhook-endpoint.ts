import * as z from "zod";
import { wholeNumber } from "./common";

/** Every event a webhook endpoint can subscribe to (docs/webhooks.md#events-out). */
export const EVENT_TYPES = ["contact.created", "contact.updated", "contact.deleted", "contact.erased"] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** What an attempt of one event at one endpoint came to: `pending` will be tried again. */
export const ATTEMPT_STATUSES = ["pending", "delivered", "failed"] as const;
export type AttemptStatus = (typeof ATTEMPT_STATUSES)[number];

const MAX_URL_LENGTH = 2048;

/**
 * `POST /api/webhook-endpoints`. The URL's scheme is checked here (`https:`, or `http:` for the
 * local hosts that the worker's `ALLOW_HTTP_WEBHOOK_ENDPOINTS` may allow); whether `http:` is
 * allowed depends on the worker's configuration, so the service decides that part.
 *
 * @example webhookEndpointCreateSchema.parse({ url: "https://crm.example.com/hooks/contacts" })
 */
export const webhookEndpointCreateSchema = z.strictObject({
  url: z
    .url({ protocol: /^https?$/, hostname: z.regexes.hostname })
    .max(MAX_URL_LENGTH)
    .meta({ description: "`https://` only (`http://localhost` and `http://127.0.0.1` in local development)." }),
  events: z
    .array(z.enum(EVENT_TYPES))
    .min(1)
    .max(EVENT_TYPES.length)
    .optional()
    .meta({ description: "The events to receive; all of them when absent." }),
  description: z.string().trim().max(256).nullable().optional(),
});
export type WebhookEndpointCreateInput = z.infer<typeof webhookEndpointCreateSchema>;

/** `GET /api/webhook-endpoints/:id/deliveries`. */
export const attemptListQuerySchema = z.strictObject({
  page: wholeNumber(1).default(1),
  limit: wholeNumber(1, 100).default(20),
});

/** `/api/webhook-endpoints/:id/deliveries/:eventId/retry`. */
export const endpointEventParamSchema = z.strictObject({
  id: z.uuid().transform((id) => id.toLowerCase()),
  eventId: z.uuid().transform((id) => id.toLowerCase()),
});
