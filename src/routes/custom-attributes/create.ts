import { getDb } from "../../db/client";
import { factory } from "../../factory";
import { validate } from "../../lib/validation";
import { jsonBody } from "../../middleware/json-body";
import { attributeCreateSchema } from "../../schemas/custom-attribute";
import { createDefinition } from "../../services/custom-attributes";

export const ATTRIBUTE_BODY_LIMIT = 8 * 1024;

/** `POST /api/custom-attributes` → 201 with the definition and its Location; 409 when the slug is live. */
export const createAttributeHandlers = factory.createHandlers(
  jsonBody(ATTRIBUTE_BODY_LIMIT),
  validate("json", attributeCreateSchema),
  async (c) => {
    const definition = await createDefinition(getDb(c.env.DB), c.get("auth").organizationId, c.req.valid("json"));
    c.header("Location", `/api/custom-attributes/${definition.id}`);
    return c.json(definition, 201);
  },
);
