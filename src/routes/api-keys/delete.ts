import "../../lib/docs";
import { cacheApiKey } from "../../db/api-key-lookup";
import { ApiError, notFound, orUnavailable } from "../../lib/errors";
import { requireRole } from "../../middleware/auth";
import { keyIdParamSchema } from "../../schemas/api-key";
import { apiKeyRevokedSchema } from "../../schemas/responses";
import { revokeApiKey } from "../../services/api-keys";
import { type AppRouteHandler, defineRoute, jsonContent } from "../define-route";
import { KEY_EXAMPLE } from "./key-example";

export const route = defineRoute(
  {
    method: "delete",
    path: "/api/keys/{keyId}",
    ...(DOCS && {
      operationId: "revokeApiKey",
      tags: ["API keys"],
      summary: "Revoke a key",
      description:
        "Disables the key; it stays listed. It stops working at once in the isolate that revoked it, and everywhere " +
        "within the revocation bound (at most about 2 minutes). A key cannot revoke itself (`409 KEY_IN_USE`). " +
        "Revoking a revoked key answers the same `200`.",
    }),
    middleware: [requireRole("admin")] as const,
    request: { params: keyIdParamSchema },
    responses: {
      200: {
        description: "Revoked.",
        content: jsonContent(apiKeyRevokedSchema, { keyId: KEY_EXAMPLE.keyId, disabled: true }),
      },
    },
  },
  { 404: ["NOT_FOUND"], 409: ["KEY_IN_USE"] },
);

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const auth = c.get("auth");
  const { keyId } = c.req.valid("param");
  if (keyId === auth.keyId) throw new ApiError("KEY_IN_USE");
  const revoked = await orUnavailable(revokeApiKey(c.env.API_KEYS, auth.organizationId, keyId));
  if (!revoked) throw notFound("API key");
  cacheApiKey(revoked.hash, revoked.record);
  return c.json({ keyId, disabled: true as const }, 200);
};
