import { factory } from "../../factory";
import { validate } from "../../lib/validation";
import { idempotency } from "../../middleware/idempotency";
import { jsonBody } from "../../middleware/json-body";
import { contactCreateSchema } from "../../schemas/contact";
import { resolveInput } from "../../services/contact-input";
import { createContact } from "../../services/contacts";
import { withOrgContext } from "../../services/org-context";
import { phoneErrorsOfBody } from "../../services/phone-errors";

export const ONE_CONTACT_BODY_LIMIT = 64 * 1024;

const locationOf = (contact: { id: string }) => `/api/contact/${contact.id}`;

/** `POST /api/contact` → 201 with the contact and its Location. */
export const createContactHandlers = factory.createHandlers(
  jsonBody(ONE_CONTACT_BODY_LIMIT),
  validate("json", contactCreateSchema, phoneErrorsOfBody),
  idempotency({ replayHeaders: (contact) => ({ Location: locationOf(contact as { id: string }) }) }),
  async (c) => {
    const db = c.get("db");
    const { organizationId } = c.get("auth");
    const contact = await withOrgContext(db, organizationId, async (org) => {
      const input = await resolveInput(c.req.valid("json"), org);
      return createContact(db, organizationId, input, c.get("finalize"), org.writeGuards());
    });
    c.header("Location", locationOf(contact));
    return c.json(contact, 201);
  },
);
