import { getDb } from "../../db/client";
import { factory } from "../../factory";
import { validate } from "../../lib/validation";
import { requireRole } from "../../middleware/auth";
import { jsonBody } from "../../middleware/json-body";
import { webhookSourceCreateSchema } from "../../schemas/webhook-source";
import { createWebhookSource, intakePath } from "../../services/webhook-sources";

const SOURCE_BODY_LIMIT = 64 * 1024;

/** `POST /api/webhook-sources` (admin) → 201 with the source, its token and intake URL: shown this once. */
export const createWebhookSourceHandlers = factory.createHandlers(
  requireRole("admin"),
  jsonBody(SOURCE_BODY_LIMIT),
  validate("json", webhookSourceCreateSchema),
  async (c) => {
    const { source, token } = await createWebhookSource(
      getDb(c.env.DB),
      c.get("auth").organizationId,
      c.req.valid("json"),
    );
    c.header("Location", `/api/webhook-sources/${source.id}`);
    return c.json({ ...source, token, url: `${new URL(c.req.url).origin}${intakePath(token)}` }, 201);
  },
);
