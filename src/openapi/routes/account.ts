import { meSchema } from "../../schemas/responses";
import { EXAMPLE_KEY_ID, EXAMPLE_ORGANIZATION_ID } from "../examples";
import { defineRoutes } from "../registry";

export const accountDocs = defineRoutes([
  {
    method: "get",
    path: "/api/me",
    operationId: "getMe",
    tag: "Account",
    summary: "Who am I",
    description: "The organization and key that the API key stands for.",
    responses: {
      200: {
        description: "The key's organization, id, name and role.",
        schema: meSchema,
        example: { organizationId: EXAMPLE_ORGANIZATION_ID, keyId: EXAMPLE_KEY_ID, keyName: "crm sync", role: "admin" },
      },
    },
  },
]);
