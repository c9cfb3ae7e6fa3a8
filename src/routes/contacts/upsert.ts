import { factory } from "../../factory";
import { validate } from "../../lib/validation";
import { idempotency } from "../../middleware/idempotency";
import { jsonBody } from "../../middleware/json-body";
import { contactUpsertSchema } from "../../schemas/contact";
import { resolveInputs } from "../../services/contact-input";
import { withOrgContext } from "../../services/org-context";
import { phoneErrorsOfBatch } from "../../services/phone-errors";
import { upsertContacts } from "../../services/upsert";

export const UPSERT_BODY_LIMIT = 2 * 1024 * 1024;

/** `POST /api/contact/upsert` → 200 with one contact per input, in input order. Nothing is written unless every item is valid. */
export const upsertContactsHandlers = factory.createHandlers(
  jsonBody(UPSERT_BODY_LIMIT),
  validate("json", contactUpsertSchema, phoneErrorsOfBatch),
  idempotency(),
  async (c) => {
    const db = c.get("db");
    const { organizationId } = c.get("auth");
    const { data, meta } = await withOrgContext(db, organizationId, async (org) => {
      const inputs = await resolveInputs(c.req.valid("json").data, org, (i) => ["data", i]);
      return upsertContacts(db, organizationId, inputs, c.get("finalize"), org.writeGuards());
    });
    return c.json({ data, meta }, 200);
  },
);
