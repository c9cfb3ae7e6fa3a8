import "../../lib/docs";
import { orUnavailable } from "../../lib/errors";
import { requireRole } from "../../middleware/auth";
import { jsonBody } from "../../middleware/json-body";
import { apiKeyCreateSchema } from "../../schemas/api-key";
import { apiKeyCreatedSchema } from "../../schemas/responses";
import { createApiKey } from "../../services/api-keys";
import { type AppRouteHandler, defineRoute, jsonContent } from "../define-route";
import { CREATED_KEY_EXAMPLE } from "./key-example";

const KEY_BODY_LIMIT = 4 * 1024;

export const route = defineRoute({
  method: "post",
  path: "/api/keys",
  ...(DOCS && {
    operationId: "createApiKey",
    tags: ["API keys"],
    summary: "Make a key",
    description:
      "A new key for the caller's organization. The key is shown in this answer only: only its SHA-256 is stored. " +
      "`expiresAt`, when given, must lie in the future (`400`, code `notInFuture`).",
  }),
  middleware: [requireRole("admin"), jsonBody(KEY_BODY_LIMIT)] as const,
  request: {
    body: {
      required: true,
      content: jsonContent(apiKeyCreateSchema, { name: "crm sync", role: "agent" }),
    },
  },
  responses: {
    201: {
      description: "Created: the key, shown this once.",
      content: jsonContent(apiKeyCreatedSchema, CREATED_KEY_EXAMPLE),
    },
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { organizationId } = c.get("auth");
  const { key, record } = await orUnavailable(createApiKey(c.env.API_KEYS, organizationId, c.req.valid("json")));
  const { keyId, name, role, createdAt, expiresAt } = record;
  return c.json({ key, keyId, organizationId, name, role, createdAt, expiresAt }, 201);
};
