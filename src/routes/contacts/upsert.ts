import "../../lib/docs";
import { idempotency } from "../../middleware/idempotency";
import { jsonBody } from "../../middleware/json-body";
import { contactUpsertSchema, MAX_UPSERT_ITEMS } from "../../schemas/contact";
import { EXAMPLE_TIME, REFERENCE_CONTACT } from "../../schemas/examples";
import { contactUpsertResultSchema } from "../../schemas/responses";
import { resolveInputs } from "../../services/contact-input";
import { phoneErrorsOfBatch } from "../../services/contact-validation";
import { withOrgContext } from "../../services/org-context";
import { upsertContacts } from "../../services/upsert";
import { type AppRouteHandler, defineRoute, jsonContent, validationHook } from "../define-route";

export const UPSERT_BODY_LIMIT = 2 * 1024 * 1024;

export const route = defineRoute({
  method: "post",
  path: "/api/contact/upsert",
  ...(DOCS && {
    operationId: "upsertContacts",
    tags: ["Contacts"],
    summary: "Create or update contacts in bulk, by phone",
    description:
      `1 to ${MAX_UPSERT_ITEMS} items. Every item is validated first; any invalid item answers \`400\` with each failure ` +
      "keyed `data.<index>.<field>`, and nothing is written. An item whose phone matches a live contact is merged into it " +
      "(present fields overwrite, absent ones stay, `null` clears, `customAttributes` merge key by key); others create " +
      "contacts. The same phone twice merges in order. The batch is atomic. The answer carries no `ETag` (it holds " +
      "many contacts): read a contact for its own.",
  }),
  middleware: [jsonBody(UPSERT_BODY_LIMIT), idempotency()] as const,
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: contactUpsertSchema,
          examples: {
            sync: {
              summary: "One update, one new contact",
              value: {
                data: [
                  { primaryPhone: "+212612345678", city: null, customAttributes: { age: 31, interests: null } },
                  { primaryPhone: "+33 6 12 34 56 78", firstName: "Marie", lastName: "Curie" },
                ],
              },
            },
          },
        },
      },
    },
  },
  responses: {
    200: {
      description: "One contact per input item, in input order, and what was done.",
      content: jsonContent(contactUpsertResultSchema, {
        data: [
          { ...REFERENCE_CONTACT, city: null, customAttributes: { age: 31 }, updatedAt: EXAMPLE_TIME },
          {
            ...REFERENCE_CONTACT,
            id: "0192f4e6-7b1b-7000-8000-000000000001",
            primaryPhone: "+33612345678",
            firstName: "Marie",
            lastName: "Curie",
            fullName: "Marie Curie",
            primaryEmail: null,
            address: null,
            city: null,
            state: null,
            zip: null,
            occupation: null,
            preferredChannel: null,
            customAttributes: {},
          },
        ],
        meta: { created: 1, updated: 1, total: 2 },
      }),
    },
  },
});

export const hook = validationHook((c, raw) =>
  phoneErrorsOfBatch(c.get("db"), c.get("auth").organizationId, raw, MAX_UPSERT_ITEMS),
);

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const db = c.get("db");
  const { organizationId } = c.get("auth");
  const { data, meta } = await withOrgContext(db, organizationId, async (org) => {
    const inputs = await resolveInputs(c.req.valid("json").data, org, (i) => ["data", i]);
    const emit = c.get("outbox").emitter(organizationId);
    return upsertContacts(db, organizationId, inputs, c.get("finalize"), org.writeGuards(), undefined, emit);
  });
  return c.json({ data, meta }, 200);
};
