import { findWebhookSource, toWebhookSource } from "../../db/webhook-sources";
import { factory } from "../../factory";
import { notFound } from "../../lib/errors";
import { validate } from "../../lib/validation";
import { idParamSchema } from "../../schemas/common";

/** `GET /api/webhook-sources/:id` → the source; another organization's is 404. */
export const readWebhookSourceHandlers = factory.createHandlers(validate("param", idParamSchema), async (c) => {
  const row = await findWebhookSource(c.get("db"), c.get("auth").organizationId, c.req.valid("param").id);
  if (!row) throw notFound("Webhook source");
  return c.json(toWebhookSource(row), 200);
});
