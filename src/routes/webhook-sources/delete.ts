import "../../lib/docs";
import { forgetSource } from "../../db/webhook-source-lookup";
import { revokeWebhookSource } from "../../db/webhook-sources";
import { notFound } from "../../lib/errors";
import { requireRole } from "../../middleware/auth";
import { idParamSchema } from "../../schemas/common";
import { EXAMPLE_TIME } from "../../schemas/examples";
import { webhookSourceRevokedSchema } from "../../schemas/responses";
import { type AppRouteHandler, defineRoute, jsonContent } from "../define-route";
import { SOURCE_EXAMPLE } from "./source-example";

export const route = defineRoute(
  {
    method: "delete",
    path: "/api/webhook-sources/{id}",
    ...(DOCS && {
      operationId: "revokeWebhookSource",
      tags: ["Webhooks"],
      summary: "Revoke a source",
      description: "Its intake URL answers `404` from now on; the source and its delivery log stay readable.",
    }),
    middleware: [requireRole("admin")] as const,
    request: { params: idParamSchema },
    responses: {
      200: {
        description: "Revoked.",
        content: jsonContent(webhookSourceRevokedSchema, {
          id: SOURCE_EXAMPLE.id,
          revoked: true,
          revokedAt: EXAMPLE_TIME,
        }),
      },
    },
  },
  { 404: ["NOT_FOUND"] },
);

/** The URL answers 404 from now on in this isolate, within the lookup cache's lifetime everywhere. */
export const handler: AppRouteHandler<typeof route> = async (c) => {
  const at = new Date().toISOString();
  const row = await revokeWebhookSource(c.get("db"), c.get("auth").organizationId, c.req.valid("param").id, at);
  if (!row) throw notFound("Webhook source");
  forgetSource(row.tokenHash);
  return c.json({ id: row.id, revoked: true as const, revokedAt: row.revokedAt as string }, 200);
};
