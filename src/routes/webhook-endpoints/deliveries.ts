import "../../lib/docs";
import { findWebhookEndpoint, listAttempts, toAttempt } from "../../db/webhook-endpoints";
import { notFound } from "../../lib/errors";
import { idParamSchema } from "../../schemas/common";
import { EXAMPLE_TIME } from "../../schemas/examples";
import { eventAttemptPageSchema, pageMetaOf } from "../../schemas/responses";
import { attemptListQuerySchema } from "../../schemas/webhook-endpoint";
import { type AppRouteHandler, defineRoute, jsonContent } from "../define-route";
import { EVENT_ID_EXAMPLE } from "./endpoint-example";

export const route = defineRoute(
  {
    method: "get",
    path: "/api/webhook-endpoints/{id}/deliveries",
    ...(DOCS && {
      operationId: "listWebhookEndpointDeliveries",
      tags: ["Events"],
      summary: "An endpoint's delivery attempts",
      description:
        "Every attempt, newest first: `pending` (failed, `nextAttemptAt` says when it is tried again), `delivered` (a " +
        "`2xx` within 10 s) or `failed` (the last of 8 attempts over at least 24 hours failed).",
    }),
    request: { params: idParamSchema, query: attemptListQuerySchema },
    responses: {
      200: {
        description: "One page of attempts.",
        content: jsonContent(eventAttemptPageSchema, {
          data: [
            {
              eventId: EVENT_ID_EXAMPLE,
              type: "contact.created",
              attempt: 2,
              status: "delivered",
              responseStatus: 200,
              durationMs: 84,
              nextAttemptAt: null,
              createdAt: EXAMPLE_TIME,
            },
            {
              eventId: EVENT_ID_EXAMPLE,
              type: "contact.created",
              attempt: 1,
              status: "pending",
              responseStatus: 503,
              durationMs: 120,
              nextAttemptAt: EXAMPLE_TIME,
              createdAt: "2025-12-31T23:59:55.000Z",
            },
          ],
          meta: { page: 1, limit: 20, total: 2, totalPages: 1, hasNextPage: false, hasPreviousPage: false },
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
  if (!(await findWebhookEndpoint(db, organizationId, id))) throw notFound("Webhook endpoint");
  const { page, limit } = c.req.valid("query");
  const { rows, total } = await listAttempts(db, organizationId, id, page, limit);
  return c.json({ data: rows.map(toAttempt), meta: pageMetaOf(page, limit, total) }, 200);
};
