import { softDeleteDefinition } from "../../db/custom-attributes";
import { factory } from "../../factory";
import { notFound } from "../../lib/errors";
import { validate } from "../../lib/validation";
import { idParamSchema } from "../../schemas/common";

/**
 * `DELETE /api/custom-attributes/:id` → `{ id, deleted: true, deletedAt }`. Soft: values already on
 * contacts stay as they are, and the name may be defined again.
 */
export const deleteAttributeHandlers = factory.createHandlers(validate("param", idParamSchema), async (c) => {
  const { organizationId } = c.get("auth");
  const row = await softDeleteDefinition(
    c.get("db"),
    organizationId,
    c.req.valid("param").id,
    new Date().toISOString(),
  );
  if (!row) throw notFound("Custom attribute");
  return c.json({ id: row.id, deleted: true, deletedAt: row.deletedAt });
});
