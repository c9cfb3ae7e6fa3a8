import { toDefinition, updateDescription } from "../../db/custom-attributes";
import { factory } from "../../factory";
import { notFound } from "../../lib/errors";
import { validate } from "../../lib/validation";
import { jsonBody } from "../../middleware/json-body";
import { idParamSchema } from "../../schemas/common";
import { attributeUpdateSchema } from "../../schemas/custom-attribute";
import { ATTRIBUTE_BODY_LIMIT } from "./create";

/** `PUT`/`PATCH /api/custom-attributes/:id { description }`: `name`, `displayName` and `type` are 400. */
export const updateAttributeHandlers = factory.createHandlers(
  validate("param", idParamSchema),
  jsonBody(ATTRIBUTE_BODY_LIMIT),
  validate("json", attributeUpdateSchema),
  async (c) => {
    const { organizationId } = c.get("auth");
    const { description } = c.req.valid("json");
    const row = await updateDescription(
      c.get("db"),
      organizationId,
      c.req.valid("param").id,
      description,
      new Date().toISOString(),
    );
    if (!row) throw notFound("Custom attribute");
    return c.json(toDefinition(row));
  },
);
