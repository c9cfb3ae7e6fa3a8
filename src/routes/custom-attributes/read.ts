import { findLiveDefinition, toDefinition } from "../../db/custom-attributes";
import { factory } from "../../factory";
import { notFound } from "../../lib/errors";
import { validate } from "../../lib/validation";
import { idParamSchema } from "../../schemas/common";

/** `GET /api/custom-attributes/:id`: deleted, missing and other organizations' ids are all 404. */
export const readAttributeHandlers = factory.createHandlers(validate("param", idParamSchema), async (c) => {
  const row = await findLiveDefinition(c.get("db"), c.get("auth").organizationId, c.req.valid("param").id);
  if (!row) throw notFound("Custom attribute");
  return c.json(toDefinition(row));
});
