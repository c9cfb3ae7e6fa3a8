import "../../lib/docs";
import { findWebhookEndpoint, toWebhookEndpoint } from "../../db/webhook-endpoints";
import { notFound } from "../../lib/errors";
import { idParamSchema } from "../../schemas/common";
import { webhookEndpointSchema } from "../../schemas/responses";
import { type AppRouteHandler, defineRoute, jsonContent } from "../define-route";
import { ENDPOINT_EXAMPLE } from "./endpoint-example";

export const route = defineRoute(
  {
    method: "get",
    path: "/api/webhook-endpoints/{id}",
    ...(DOCS && {
      operationId: "getWebhookEndpoint",
      tags: ["Events"],
      summary: "Read an endpoint",
      description: "Never its secret.",
    }),
    request: { params: idParamSchema },
    responses: {
      200: { description: "The endpoint.", content: jsonContent(webhookEndpointSchema, ENDPOINT_EXAMPLE) },
    },
  },
  { 404: ["NOT_FOUND"] },
);

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const row = await findWebhookEndpoint(c.get("db"), c.get("auth").organizationId, c.req.valid("param").id);
  if (!row) throw notFound("Webhook endpoint");
  return c.json(toWebhookEndpoint(row), 200);
};
