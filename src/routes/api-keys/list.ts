import "../../lib/docs";
import { orUnavailable } from "../../lib/errors";
import { requireRole } from "../../middleware/auth";
import { apiKeyListSchema } from "../../schemas/responses";
import { listApiKeys } from "../../services/api-keys";
import { type AppRouteHandler, defineRoute, jsonContent } from "../define-route";
import { KEY_EXAMPLE } from "./key-example";

export const route = defineRoute({
  method: "get",
  path: "/api/keys",
  ...(DOCS && {
    operationId: "listApiKeys",
    tags: ["API keys"],
    summary: "List the keys",
    description:
      "Every key of the organization, revoked ones too, newest first; never a key itself. `lastUsedAt` is approximate " +
      "(recorded about once an hour per key), and the list may lag behind a change made in the last minute.",
  }),
  middleware: [requireRole("admin")] as const,
  responses: {
    200: {
      description: "The keys.",
      content: jsonContent(apiKeyListSchema, {
        data: [{ ...KEY_EXAMPLE, disabled: false, lastUsedAt: "2024-01-02T09:00:00.000Z" }],
      }),
    },
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const data = await orUnavailable(listApiKeys(c.env.API_KEYS, c.get("auth").organizationId));
  return c.json({ data }, 200);
};
