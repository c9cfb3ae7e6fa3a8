import "../../lib/docs";
import type { Contact } from "../../db/contacts";
import { etagOf } from "../../lib/etag";
import { idempotency } from "../../middleware/idempotency";
import { ETAG_HEADER } from "../../middleware/if-match";
import { jsonBody } from "../../middleware/json-body";
import { contactCreateSchema } from "../../schemas/contact";
import { REFERENCE_CONTACT, REFERENCE_CONTACT_INPUT } from "../../schemas/examples";
import { contactSchema } from "../../schemas/responses";
import { resolveInput } from "../../services/contact-input";
import { phoneErrorsOfBody } from "../../services/contact-validation";
import { createContact } from "../../services/contacts";
import { withOrgContext } from "../../services/org-context";
import { type AppRouteHandler, defineRoute, jsonContent, validationHook } from "../define-route";

export const ONE_CONTACT_BODY_LIMIT = 64 * 1024;

/** `Location` and `ETag` of a new contact: rebuilt from the stored body when an `Idempotency-Key` replays it. */
const headersOf = (contact: Contact) => ({ Location: `/api/contact/${contact.id}`, ETag: etagOf(contact) });

export const route = defineRoute(
  {
    method: "post",
    path: "/api/contact",
    ...(DOCS && {
      operationId: "createContact",
      tags: ["Contacts"],
      summary: "Create a contact",
      description:
        "Validates the contact, normalises its phone to E.164 and stores it in the key's organization. " +
        "A live contact of the organization with the same phone answers `409 CONTACT_EXISTS` with its `existingId`.",
    }),
    middleware: [
      jsonBody(ONE_CONTACT_BODY_LIMIT),
      idempotency({ replayHeaders: (contact) => headersOf(contact as Contact) }),
    ] as const,
    request: {
      body: {
        required: true,
        content: {
          "application/json": {
            schema: contactCreateSchema,
            examples: {
              contract: { summary: "The GoMobile reference example", value: REFERENCE_CONTACT_INPUT },
              minimal: { summary: "Only the phone", value: { primaryPhone: "+33 6 12 34 56 78" } },
            },
          },
        },
      },
    },
    responses: {
      201: {
        description: "Created: the contact.",
        headers: {
          Location: {
            description: "`/api/contact/<id>`: where the new contact can be read.",
            required: true,
            schema: { type: "string" },
          },
          ...ETAG_HEADER,
        },
        content: jsonContent(contactSchema, REFERENCE_CONTACT),
      },
    },
  },
  { 409: ["CONTACT_EXISTS"] },
);

export const hook = validationHook((c, raw) => phoneErrorsOfBody(c.get("db"), c.get("auth").organizationId, raw));

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const db = c.get("db");
  const { organizationId } = c.get("auth");
  const contact = await withOrgContext(db, organizationId, async (org) => {
    const input = await resolveInput(c.req.valid("json"), org);
    const emit = c.get("outbox").emitter(organizationId);
    return createContact(db, organizationId, input, c.get("finalize"), org.writeGuards(), emit);
  });
  for (const [name, value] of Object.entries(headersOf(contact))) c.header(name, value);
  return c.json(contact, 201);
};
