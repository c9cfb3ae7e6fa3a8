import { forgetSource } from "../../db/webhook-source-lookup";
import { revokeWebhookSource } from "../../db/webhook-sources";
import { factory } from "../../factory";
import { notFound } from "../../lib/errors";
import { validate } from "../../lib/validation";
import { requireRole } from "../../middleware/auth";
import { idParamSchema } from "../../schemas/common";

/**
 * `DELETE /api/webhook-sources/:id` (admin) → revokes the source: its URL answers 404 from now on
 * in this isolate, within SOURCE_CACHE_MS everywhere. The source and its log stay readable.
 */
export const revokeWebhookSourceHandlers = factory.createHandlers(
  requireRole("admin"),
  validate("param", idParamSchema),
  async (c) => {
    const row = await revokeWebhookSource(
      c.get("db"),
      c.get("auth").organizationId,
      c.req.valid("param").id,
      new Date().toISOString(),
    );
    if (!row) throw notFound("Webhook source");
    forgetSource(row.tokenHash);
    return c.json({ id: row.id, revoked: true, revokedAt: row.revokedAt }, 200);
  },
);
