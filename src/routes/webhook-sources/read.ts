import "../../lib/docs";
import { findWebhookSource, toWebhookSource } from "../../db/webhook-sources";
import { notFound } from "../../lib/errors";
import { idParamSchema } from "../../schemas/common";
import { webhookSourceSchema } from "../../schemas/responses";
import { type AppRouteHandler, defineRoute, jsonContent } from "../define-route";
import { SOURCE_EXAMPLE } from "./source-example";

export const route = defineRoute(
  {
    method: "get",
    path: "/api/webhook-sources/{id}",
    ...(DOCS && {
      operationId: "getWebhookSource",
      tags: ["Webhooks"],
      summary: "Read a source",
    }),
    request: { params: idParamSchema },
    responses: { 200: { description: "The source.", content: jsonContent(webhookSourceSchema, SOURCE_EXAMPLE) } },
  },
  { 404: ["NOT_FOUND"] },
);

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const row = await findWebhookSource(c.get("db"), c.get("auth").organizationId, c.req.valid("param").id);
  if (!row) throw notFound("Webhook source");
  return c.json(toWebhookSource(row), 200);
};
