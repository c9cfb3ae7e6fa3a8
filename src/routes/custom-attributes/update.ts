import "../../lib/docs";
import { toDefinition, updateDescription } from "../../db/custom-attributes";
import { notFound } from "../../lib/errors";
import { jsonBody } from "../../middleware/json-body";
import { idParamSchema } from "../../schemas/common";
import { attributeUpdateSchema } from "../../schemas/custom-attribute";
import { customAttributeSchema } from "../../schemas/responses";
import { type AppRouteHandler, defineRoute, jsonContent } from "../define-route";
import { ATTRIBUTE_BODY_LIMIT, DEFINITION_EXAMPLE } from "./definition-example";

/** `PUT` and `PATCH` are the same: `description` is the only mutable field. */
const updateRoute = <const M extends "put" | "patch">(method: M) =>
  defineRoute(
    {
      method,
      path: "/api/custom-attributes/{id}",
      ...(DOCS && {
        operationId: method === "put" ? "updateCustomAttribute" : "patchCustomAttribute",
        tags: ["Custom attributes"],
        summary: `Change a definition's description${method === "patch" ? " (same as PUT)" : ""}`,
        description:
          "`description` is the only field that changes (`null` or blank clears it); sending `name`, `displayName` or " +
          "`type` is `400` (`immutableField`): delete the attribute and define it again instead.",
      }),
      middleware: [jsonBody(ATTRIBUTE_BODY_LIMIT)] as const,
      request: {
        params: idParamSchema,
        body: {
          required: true,
          content: {
            "application/json": {
              schema: attributeUpdateSchema,
              examples: { describe: { summary: "A new description", value: { description: "Age in whole years" } } },
            },
          },
        },
      },
      responses: {
        200: {
          description: "The definition.",
          content: jsonContent(customAttributeSchema, { ...DEFINITION_EXAMPLE, description: "Age in whole years" }),
        },
      },
    },
    { 404: ["NOT_FOUND"] },
  );

export const putRoute = updateRoute("put");
export const patchRoute = updateRoute("patch");

export const handler: AppRouteHandler<typeof putRoute | typeof patchRoute> = async (c) => {
  const { description } = c.req.valid("json");
  const at = new Date().toISOString();
  const row = await updateDescription(
    c.get("db"),
    c.get("auth").organizationId,
    c.req.valid("param").id,
    description,
    at,
  );
  if (!row) throw notFound("Custom attribute");
  return c.json(toDefinition(row), 200);
};
