import { factory } from "../../factory";
import { validate } from "../../lib/validation";
import { contactListQuerySchema } from "../../schemas/contact-query";
import { listContacts } from "../../services/contacts";

/** `GET /api/contact` → 200 `{ data, meta }`: one page of the organization's live contacts. */
export const listContactsHandlers = factory.createHandlers(validate("query", contactListQuerySchema), async (c) => {
  const { organizationId } = c.get("auth");
  return c.json(await listContacts(c.get("db"), organizationId, c.req.valid("query")), 200);
});
