import { getDb } from "../../db/client";
import { factory } from "../../factory";
import { validate } from "../../lib/validation";
import { idempotency } from "../../middleware/idempotency";
import { jsonBody } from "../../middleware/json-body";
import { contactUpsertSchema } from "../../schemas/contact";
import { resolveInputs } from "../../services/contact-input";
import { orgContext } from "../../services/org-context";
import { phoneErrorsOfBatch } from "../../services/phone-errors";
import { upsertContacts } from "../../services/upsert";

export const UPSERT_BODY_LIMIT = 2 * 1024 * 1024;

/** `POST /api/contact/upsert` → 200 with one contact per input, in input order. Nothing is written unless every item is valid. */
export const upsertContactsHandlers = factory.createHandlers(
  jsonBody(UPSERT_BODY_LIMIT),
  validate("json", contactUpsertSchema, phoneErrorsOfBatch),
  idempotency(),
  async (c) => {
    const db = getDb(c.env.DB);
    const { organizationId } = c.get("auth");
    const inputs = await resolveInputs(c.req.valid("json").data, orgContext(db, organizationId), (i) => ["data", i]);
    const { data, meta } = await upsertContacts(db, organizationId, inputs, c.get("finalize"));
    return c.json({ data, meta }, 200);
  },
);
