import { listDeliveries, toDelivery } from "../../db/webhook-deliveries";
import { findWebhookSource } from "../../db/webhook-sources";
import { factory } from "../../factory";
import { notFound } from "../../lib/errors";
import { validate } from "../../lib/validation";
import { idParamSchema } from "../../schemas/common";
import { deliveryListQuerySchema } from "../../schemas/webhook-source";

/** `GET /api/webhook-sources/:id/deliveries?page&limit` → the source's delivery log, newest first. */
export const listDeliveriesHandlers = factory.createHandlers(
  validate("param", idParamSchema),
  validate("query", deliveryListQuerySchema),
  async (c) => {
    const db = c.get("db");
    const { organizationId } = c.get("auth");
    const { id } = c.req.valid("param");
    if (!(await findWebhookSource(db, organizationId, id))) throw notFound("Webhook source");
    const { page, limit } = c.req.valid("query");
    const { rows, total } = await listDeliveries(db, organizationId, id, page, limit);
    const totalPages = Math.ceil(total / limit);
    return c.json(
      {
        data: rows.map(toDelivery),
        meta: { page, limit, total, totalPages, hasNextPage: page < totalPages, hasPreviousPage: page > 1 },
      },
      200,
    );
  },
);
