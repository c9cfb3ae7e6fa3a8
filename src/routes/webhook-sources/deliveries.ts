import "../../lib/docs";
import { listDeliveries, toDelivery } from "../../db/webhook-deliveries";
import { findWebhookSource } from "../../db/webhook-sources";
import { notFound } from "../../lib/errors";
import { idParamSchema } from "../../schemas/common";
import { EXAMPLE_CONTACT_ID, EXAMPLE_TIME } from "../../schemas/examples";
import { pageMetaOf, webhookDeliveryPageSchema } from "../../schemas/responses";
import { deliveryListQuerySchema } from "../../schemas/webhook-source";
import { type AppRouteHandler, defineRoute, jsonContent } from "../define-route";
import { SOURCE_EXAMPLE } from "./source-example";

export const route = defineRoute(
  {
    method: "get",
    path: "/api/webhook-sources/{id}/deliveries",
    ...(DOCS && {
      operationId: "listWebhookDeliveries",
      tags: ["Webhooks"],
      summary: "A source's delivery log",
      description:
        "Newest first. A refused delivery keeps its raw payload and the reason: nothing a form collected is lost.",
    }),
    request: { params: idParamSchema, query: deliveryListQuerySchema },
    responses: {
      200: {
        description: "One page of deliveries.",
        content: jsonContent(webhookDeliveryPageSchema, {
          data: [
            {
              id: "0192f4e8-1a2b-7c3d-8e4f-5a6b7c8d9e0f",
              sourceId: SOURCE_EXAMPLE.id,
              eventId: "01HZX5B3K2",
              status: "created",
              httpStatus: 200,
              contactId: EXAMPLE_CONTACT_ID,
              reason: null,
              fieldErrors: null,
              fieldDetails: null,
              contentType: "application/json",
              payload: null,
              createdAt: EXAMPLE_TIME,
            },
          ],
          meta: { page: 1, limit: 20, total: 1, totalPages: 1, hasNextPage: false, hasPreviousPage: false },
        }),
      },
    },
  },
  { 404: ["NOT_FOUND"] },
);

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const db = c.get("db");
  const { organizationId } = c.get("auth");
  const { id } = c.req.valid("param");
  if (!(await findWebhookSource(db, organizationId, id))) throw notFound("Webhook source");
  const { page, limit } = c.req.valid("query");
  const { rows, total } = await listDeliveries(db, organizationId, id, page, limit);
  return c.json({ data: rows.map(toDelivery), meta: pageMetaOf(page, limit, total) }, 200);
};
