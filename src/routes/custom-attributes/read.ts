import "../../lib/docs";
import { findLiveDefinition, toDefinition } from "../../db/custom-attributes";
import { notFound } from "../../lib/errors";
import { idParamSchema } from "../../schemas/common";
import { customAttributeSchema } from "../../schemas/responses";
import { type AppRouteHandler, defineRoute, jsonContent } from "../define-route";
import { DEFINITION_EXAMPLE } from "./definition-example";

export const route = defineRoute(
  {
    method: "get",
    path: "/api/custom-attributes/{id}",
    ...(DOCS && {
      operationId: "getCustomAttribute",
      tags: ["Custom attributes"],
      summary: "Read a definition",
    }),
    request: { params: idParamSchema },
    responses: {
      200: { description: "The definition.", content: jsonContent(customAttributeSchema, DEFINITION_EXAMPLE) },
    },
  },
  { 404: ["NOT_FOUND"] },
);

/** Deleted, missing and other organizations' ids are all 404. */
export const handler: AppRouteHandler<typeof route> = async (c) => {
  const row = await findLiveDefinition(c.get("db"), c.get("auth").organizationId, c.req.valid("param").id);
  if (!row) throw notFound("Custom attribute");
  return c.json(toDefinition(row), 200);
};
