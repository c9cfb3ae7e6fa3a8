import "../../lib/docs";
import { findOrganizationEvent } from "../../db/events";
import { findWebhookEndpoint, lastAttempt } from "../../db/webhook-endpoints";
import { ApiError, notFound, serviceUnavailable } from "../../lib/errors";
import { JSON_MESSAGE } from "../../lib/queue-message";
import { requireRole } from "../../middleware/auth";
import { retryAcceptedSchema } from "../../schemas/responses";
import { endpointEventParamSchema } from "../../schemas/webhook-endpoint";
import type { QueueMessage } from "../../services/events/delivery";
import { type AppRouteHandler, defineRoute, jsonContent } from "../define-route";
import { ENDPOINT_EXAMPLE, EVENT_ID_EXAMPLE } from "./endpoint-example";

export const route = defineRoute(
  {
    method: "post",
    path: "/api/webhook-endpoints/{id}/deliveries/{eventId}/retry",
    ...(DOCS && {
      operationId: "retryWebhookDelivery",
      tags: ["Events"],
      summary: "Send an event to an endpoint again, now",
      description:
        "Queues a new delivery of the event, numbered after its last attempt and retried like any other. The body is " +
        "the one first sent, with the same `webhook-id`.",
    }),
    middleware: [requireRole("admin")] as const,
    request: { params: endpointEventParamSchema },
    responses: {
      202: {
        description: "Queued.",
        content: jsonContent(retryAcceptedSchema, {
          eventId: EVENT_ID_EXAMPLE,
          endpointId: ENDPOINT_EXAMPLE.id,
          queued: true,
        }),
      },
    },
  },
  { 404: ["NOT_FOUND"], 409: ["ENDPOINT_DISABLED"] },
);

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const db = c.get("db");
  const { organizationId } = c.get("auth");
  const { id, eventId } = c.req.valid("param");
  const endpoint = await findWebhookEndpoint(db, organizationId, id);
  if (!endpoint) throw notFound("Webhook endpoint");
  if (endpoint.disabledAt !== null) throw new ApiError("ENDPOINT_DISABLED");
  if (!(await findOrganizationEvent(db, organizationId, eventId))) throw notFound("Event");
  const firstAttempt = (await lastAttempt(db, id, eventId)) + 1;
  try {
    await (c.env.EVENTS as Queue<QueueMessage>).send({ eventId, endpointId: id, firstAttempt }, JSON_MESSAGE);
  } catch {
    throw serviceUnavailable();
  }
  return c.json({ eventId, endpointId: id, queued: true as const }, 202);
};
