import { factory } from "../../factory";
import { validate } from "../../lib/validation";
import { idParamSchema } from "../../schemas/common";
import { deleteContact } from "../../services/contacts";

/** `DELETE /api/contact/:id` → 200 `{ id, deleted: true, deletedAt }`; a second delete is 404. */
export const deleteContactHandlers = factory.createHandlers(validate("param", idParamSchema), async (c) => {
  const { organizationId } = c.get("auth");
  return c.json(await deleteContact(c.get("db"), organizationId, c.req.valid("param").id), 200);
});
