import "../../lib/docs";
import { listWebhookEndpoints, toWebhookEndpoint } from "../../db/webhook-endpoints";
import { webhookEndpointListSchema } from "../../schemas/responses";
import { type AppRouteHandler, defineRoute, jsonContent } from "../define-route";
import { ENDPOINT_EXAMPLE } from "./endpoint-example";

export const route = defineRoute({
  method: "get",
  path: "/api/webhook-endpoints",
  ...(DOCS && {
    operationId: "listWebhookEndpoints",
    tags: ["Events"],
    summary: "List the endpoints",
    description: "Every endpoint of the organization, disabled ones too, newest first; never a secret.",
  }),
  responses: {
    200: {
      description: "The endpoints.",
      content: jsonContent(webhookEndpointListSchema, { data: [ENDPOINT_EXAMPLE] }),
    },
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const rows = await listWebhookEndpoints(c.get("db"), c.get("auth").organizationId);
  return c.json({ data: rows.map(toWebhookEndpoint) }, 200);
};
