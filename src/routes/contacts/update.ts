import { factory } from "../../factory";
import { validate } from "../../lib/validation";
import { jsonBody } from "../../middleware/json-body";
import { idParamSchema } from "../../schemas/common";
import { contactUpdateSchema } from "../../schemas/contact";
import { resolveInput } from "../../services/contact-input";
import { updateContact } from "../../services/contacts";
import { withOrgContext } from "../../services/org-context";
import { phoneErrorsOfBody } from "../../services/phone-errors";
import { ONE_CONTACT_BODY_LIMIT } from "./create";

/** `PUT` and `PATCH /api/contact/:id` → 200 with the updated contact. Both are partial updates (CONTRACT §5). */
export const updateContactHandlers = factory.createHandlers(
  validate("param", idParamSchema),
  jsonBody(ONE_CONTACT_BODY_LIMIT),
  validate("json", contactUpdateSchema, phoneErrorsOfBody),
  async (c) => {
    const db = c.get("db");
    const { organizationId } = c.get("auth");
    const contact = await withOrgContext(db, organizationId, async (org) => {
      const patch = await resolveInput(c.req.valid("json"), org);
      return updateContact(db, organizationId, c.req.valid("param").id, patch, org.writeGuards());
    });
    return c.json(contact, 200);
  },
);
