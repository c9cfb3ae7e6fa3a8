import "../../lib/docs";
import { requireRole } from "../../middleware/auth";
import { idempotency } from "../../middleware/idempotency";
import { jsonBody } from "../../middleware/json-body";
import { webhookEndpointCreatedSchema } from "../../schemas/responses";
import { webhookEndpointCreateSchema } from "../../schemas/webhook-endpoint";
import { createWebhookEndpoint } from "../../services/webhook-endpoints";
import { type AppRouteHandler, defineRoute, jsonContent } from "../define-route";
import { ENDPOINT_EXAMPLE } from "./endpoint-example";

const ENDPOINT_BODY_LIMIT = 16 * 1024;

const locationOf = (endpoint: { id: string }) => `/api/webhook-endpoints/${endpoint.id}`;

export const route = defineRoute({
  method: "post",
  path: "/api/webhook-endpoints",
  ...(DOCS && {
    operationId: "createWebhookEndpoint",
    tags: ["Events"],
    summary: "Subscribe an endpoint to contact events",
    description:
      "From now on, every change to a contact of the organization that the endpoint subscribes to is POSTed to its URL, " +
      "signed with the Standard Webhooks scheme (see the `webhooks` section). The signing `secret` is shown in this " +
      "answer only. `https://` only (`http://localhost` and `http://127.0.0.1` in local development).",
  }),
  middleware: [
    requireRole("admin"),
    jsonBody(ENDPOINT_BODY_LIMIT),
    idempotency({ replayHeaders: (endpoint) => ({ Location: locationOf(endpoint as { id: string }) }) }),
  ] as const,
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: webhookEndpointCreateSchema,
          examples: {
            crm: {
              summary: "Every event",
              value: { url: ENDPOINT_EXAMPLE.url, description: ENDPOINT_EXAMPLE.description },
            },
            dialer: {
              summary: "New contacts only",
              value: { url: "https://dialer.example.com/contacts", events: ["contact.created"] },
            },
          },
        },
      },
    },
  },
  responses: {
    201: {
      description: "Created: the endpoint and its signing secret (shown this once).",
      headers: {
        Location: { description: "`/api/webhook-endpoints/<id>`.", required: true, schema: { type: "string" } },
      },
      content: jsonContent(webhookEndpointCreatedSchema, {
        ...ENDPOINT_EXAMPLE,
        secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwmHBW7L2E9Ko=",
      }),
    },
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const allowHttp = c.env.ALLOW_HTTP_WEBHOOK_ENDPOINTS === "true";
  const { organizationId } = c.get("auth");
  const endpoint = await createWebhookEndpoint(
    c.get("db"),
    organizationId,
    c.req.valid("json"),
    allowHttp,
    c.get("finalize"),
  );
  c.header("Location", locationOf(endpoint));
  return c.json(endpoint, 201);
};
