import "../../lib/docs";
import { disableWebhookEndpoint, findWebhookEndpoint } from "../../db/webhook-endpoints";
import { notFound } from "../../lib/errors";
import { requireRole } from "../../middleware/auth";
import { idParamSchema } from "../../schemas/common";
import { webhookEndpointDisabledSchema } from "../../schemas/responses";
import { endpointsChanged } from "../../services/events/outbox";
import { type AppRouteHandler, defineRoute, jsonContent } from "../define-route";
import { ENDPOINT_EXAMPLE } from "./endpoint-example";

export const route = defineRoute(
  {
    method: "delete",
    path: "/api/webhook-endpoints/{id}",
    ...(DOCS && {
      operationId: "disableWebhookEndpoint",
      tags: ["Events"],
      summary: "Disable an endpoint",
      description:
        "Nothing more is sent to it, including deliveries already queued or waiting for a retry. The endpoint and its " +
        "deliveries log stay readable. Disabling a disabled endpoint answers the same.",
    }),
    middleware: [requireRole("admin")] as const,
    request: { params: idParamSchema },
    responses: {
      200: {
        description: "Disabled.",
        content: jsonContent(webhookEndpointDisabledSchema, { id: ENDPOINT_EXAMPLE.id, disabled: true }),
      },
    },
  },
  { 404: ["NOT_FOUND"] },
);

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const db = c.get("db");
  const { organizationId } = c.get("auth");
  const { id } = c.req.valid("param");
  const disabled =
    (await disableWebhookEndpoint(db, organizationId, id, new Date().toISOString())) ??
    (await findWebhookEndpoint(db, organizationId, id));
  if (!disabled) throw notFound("Webhook endpoint");
  endpointsChanged(organizationId);
  return c.json({ id: disabled.id, disabled: true as const }, 200);
};
