import { getDb } from "../../db/client";
import { findSourceByTokenHash } from "../../db/webhook-source-lookup";
import { factory } from "../../factory";
import { sha256Hex } from "../../lib/crypto";
import { notFound } from "../../lib/errors";
import { WEBHOOK_TOKEN_PATTERN } from "../../services/webhook-sources";
import { receiveDelivery } from "../../services/webhooks/intake";

/** `POST /hooks/:token` → 200 `{ contactId, status }`. No API key: the token names the organization and source. */
export const intakeHandlers = factory.createHandlers(async (c) => {
  const token = c.req.param("token") ?? "";
  const db = getDb(c.env.DB);
  const source = WEBHOOK_TOKEN_PATTERN.test(token) ? await findSourceByTokenHash(db, await sha256Hex(token)) : null;
  if (!source) throw notFound("Webhook source");
  return c.json(await receiveDelivery(db, source, c.req.raw), 200);
});
