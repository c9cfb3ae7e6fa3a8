import "../../lib/docs";
import { EXAMPLE_KEY_ID, EXAMPLE_ORGANIZATION_ID } from "../../schemas/examples";
import { meSchema } from "../../schemas/responses";
import { type AppRouteHandler, defineRoute, jsonContent } from "../define-route";

export const route = defineRoute({
  method: "get",
  path: "/api/me",
  ...(DOCS && {
    operationId: "getMe",
    tags: ["Account"],
    summary: "Who am I",
    description: "The organization and key that the API key stands for.",
  }),
  responses: {
    200: {
      description: "The key's organization, id, name and role.",
      content: jsonContent(meSchema, {
        organizationId: EXAMPLE_ORGANIZATION_ID,
        keyId: EXAMPLE_KEY_ID,
        keyName: "crm sync",
        role: "admin",
      }),
    },
  },
});

export const handler: AppRouteHandler<typeof route> = (c) => {
  const { organizationId, keyId, name, role } = c.get("auth");
  return c.json({ organizationId, keyId, keyName: name, role }, 200);
};
