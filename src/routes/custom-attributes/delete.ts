import "../../lib/docs";
import { softDeleteDefinition } from "../../db/custom-attributes";
import { notFound } from "../../lib/errors";
import { idParamSchema } from "../../schemas/common";
import { EXAMPLE_TIME } from "../../schemas/examples";
import { customAttributeDeletedSchema } from "../../schemas/responses";
import { type AppRouteHandler, defineRoute, jsonContent } from "../define-route";
import { DEFINITION_EXAMPLE } from "./definition-example";

export const route = defineRoute(
  {
    method: "delete",
    path: "/api/custom-attributes/{id}",
    ...(DOCS && {
      operationId: "deleteCustomAttribute",
      tags: ["Custom attributes"],
      summary: "Delete a definition (soft)",
      description: "Values already on contacts stay as they are, and the name is free to define again.",
    }),
    request: { params: idParamSchema },
    responses: {
      200: {
        description: "Deleted.",
        content: jsonContent(customAttributeDeletedSchema, {
          id: DEFINITION_EXAMPLE.id,
          deleted: true,
          deletedAt: EXAMPLE_TIME,
        }),
      },
    },
  },
  { 404: ["NOT_FOUND"] },
);

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const at = new Date().toISOString();
  const row = await softDeleteDefinition(c.get("db"), c.get("auth").organizationId, c.req.valid("param").id, at);
  if (!row) throw notFound("Custom attribute");
  return c.json({ id: row.id, deleted: true as const, deletedAt: row.deletedAt as string }, 200);
};
