import "../../lib/docs";
import { listWebhookSources, toWebhookSource } from "../../db/webhook-sources";
import { webhookSourceListSchema } from "../../schemas/responses";
import { type AppRouteHandler, defineRoute, jsonContent } from "../define-route";
import { SOURCE_EXAMPLE } from "./source-example";

export const route = defineRoute({
  method: "get",
  path: "/api/webhook-sources",
  ...(DOCS && {
    operationId: "listWebhookSources",
    tags: ["Webhooks"],
    summary: "List the sources",
    description: "Every source of the organization, revoked ones too, newest first; never a token or a secret.",
  }),
  responses: { 200: { description: "The sources.", content: jsonContent(webhookSourceListSchema, [SOURCE_EXAMPLE]) } },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const rows = await listWebhookSources(c.get("db"), c.get("auth").organizationId);
  return c.json(rows.map(toWebhookSource), 200);
};
