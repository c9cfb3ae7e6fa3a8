import "../../lib/docs";
import * as z from "zod";
import { listLiveDefinitions, toDefinition } from "../../db/custom-attributes";
import { customAttributeListSchema } from "../../schemas/responses";
import { type AppRouteHandler, defineRoute, jsonContent } from "../define-route";
import { DEFINITION_EXAMPLE } from "./definition-example";

export const route = defineRoute({
  method: "get",
  path: "/api/custom-attributes",
  ...(DOCS && {
    operationId: "listCustomAttributes",
    tags: ["Custom attributes"],
    summary: "List the definitions",
    description: "The organization's live definitions, oldest first, as a bare array. No query parameters.",
  }),
  request: { query: z.strictObject({}) },
  responses: {
    200: { description: "The definitions.", content: jsonContent(customAttributeListSchema, [DEFINITION_EXAMPLE]) },
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const rows = await listLiveDefinitions(c.get("db"), c.get("auth").organizationId);
  return c.json(rows.map(toDefinition), 200);
};
