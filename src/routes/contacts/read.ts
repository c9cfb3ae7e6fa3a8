import { factory } from "../../factory";
import { validate } from "../../lib/validation";
import { idParamSchema } from "../../schemas/common";
import { getContact } from "../../services/contacts";

/** `GET /api/contact/:id` → 200 with the contact; 404 when missing, deleted or another organization's. */
export const readContactHandlers = factory.createHandlers(validate("param", idParamSchema), async (c) => {
  const { organizationId } = c.get("auth");
  return c.json(await getContact(c.get("db"), organizationId, c.req.valid("param").id), 200);
});
