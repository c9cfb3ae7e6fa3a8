import { getDb } from "../../db/client";
import { listWebhookSources, toWebhookSource } from "../../db/webhook-sources";
import { factory } from "../../factory";

/** `GET /api/webhook-sources` → every source of the organization (revoked ones too), newest first; never a token or secret. */
export const listWebhookSourcesHandlers = factory.createHandlers(async (c) => {
  const rows = await listWebhookSources(getDb(c.env.DB), c.get("auth").organizationId);
  return c.json(rows.map(toWebhookSource), 200);
});
