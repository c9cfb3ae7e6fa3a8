import "../../lib/docs";
import { jsonBody } from "../../middleware/json-body";
import { attributeCreateSchema } from "../../schemas/custom-attribute";
import { customAttributeSchema } from "../../schemas/responses";
import { createDefinition } from "../../services/custom-attributes";
import { type AppRouteHandler, defineRoute, jsonContent } from "../define-route";
import { ATTRIBUTE_BODY_LIMIT, DEFINITION_EXAMPLE } from "./definition-example";

export const route = defineRoute(
  {
    method: "post",
    path: "/api/custom-attributes",
    ...(DOCS && {
      operationId: "createCustomAttribute",
      tags: ["Custom attributes"],
      summary: "Define a custom attribute",
      description:
        "`name` is the slug of `displayName` (`Customer Age` → `customer_age`): the key to use in `customAttributes`. " +
        "From now on, a value under that key must be of `type`. A name live in the organization answers " +
        "`409 ATTRIBUTE_EXISTS` with `existingId`.",
    }),
    middleware: [jsonBody(ATTRIBUTE_BODY_LIMIT)] as const,
    request: {
      body: {
        required: true,
        content: {
          "application/json": {
            schema: attributeCreateSchema,
            examples: {
              number: {
                summary: "A number attribute",
                value: { displayName: "Customer Age", type: "number", description: "Age in years" },
              },
            },
          },
        },
      },
    },
    responses: {
      201: {
        description: "Created: the definition.",
        headers: {
          Location: { description: "`/api/custom-attributes/<id>`.", required: true, schema: { type: "string" } },
        },
        content: jsonContent(customAttributeSchema, DEFINITION_EXAMPLE),
      },
    },
  },
  { 409: ["ATTRIBUTE_EXISTS"] },
);

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const definition = await createDefinition(c.get("db"), c.get("auth").organizationId, c.req.valid("json"));
  c.header("Location", `/api/custom-attributes/${definition.id}`);
  return c.json(definition, 201);
};
