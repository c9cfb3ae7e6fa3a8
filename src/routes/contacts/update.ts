import "../../lib/docs";
import { etagOf } from "../../lib/etag";
import { ETAG_HEADER, ifMatch } from "../../middleware/if-match";
import { jsonBody } from "../../middleware/json-body";
import { idParamSchema } from "../../schemas/common";
import { contactUpdateSchema } from "../../schemas/contact";
import { EXAMPLE_TIME, REFERENCE_CONTACT } from "../../schemas/examples";
import { contactSchema } from "../../schemas/responses";
import { resolveInput } from "../../services/contact-input";
import { phoneErrorsOfBody } from "../../services/contact-validation";
import { updateContact } from "../../services/contacts";
import { withOrgContext } from "../../services/org-context";
import { type AppRouteHandler, defineRoute, jsonContent, validationHook } from "../define-route";
import { ONE_CONTACT_BODY_LIMIT } from "./create";

/** `PUT` and `PATCH` are the same partial update (docs/api.md#routes). */
const updateRoute = <const M extends "put" | "patch">(method: M) =>
  defineRoute(
    {
      method,
      path: "/api/contact/{id}",
      ...(DOCS && {
        operationId: method === "put" ? "updateContact" : "patchContact",
        tags: ["Contacts"],
        summary: method === "put" ? "Update a contact" : "Update a contact (same as PUT)",
        description:
          "A partial update with at least one field: present fields overwrite, absent ones stay, `null` clears, " +
          "`customAttributes` merge key by key (a `null` value removes the key). Moving to a phone that a live contact " +
          "already has answers `409 CONTACT_EXISTS` with its `existingId`.",
      }),
      middleware: [jsonBody(ONE_CONTACT_BODY_LIMIT), ifMatch()] as const,
      request: {
        params: idParamSchema,
        body: {
          required: true,
          content: {
            "application/json": {
              schema: contactUpdateSchema,
              examples: {
                move: {
                  summary: "A new city, one attribute less",
                  value: { city: "Rabat", customAttributes: { interests: null } },
                },
              },
            },
          },
        },
      },
      responses: {
        200: {
          description: "The updated contact, and its new ETag.",
          headers: ETAG_HEADER,
          content: jsonContent(contactSchema, {
            ...REFERENCE_CONTACT,
            city: "Rabat",
            customAttributes: { age: 30 },
            updatedAt: EXAMPLE_TIME,
          }),
        },
      },
    },
    { 404: ["NOT_FOUND"], 409: ["CONTACT_EXISTS"] },
  );

export const putRoute = updateRoute("put");
export const patchRoute = updateRoute("patch");

export const hook = validationHook((c, raw) => phoneErrorsOfBody(c.get("db"), c.get("auth").organizationId, raw));

export const handler: AppRouteHandler<typeof putRoute | typeof patchRoute> = async (c) => {
  const db = c.get("db");
  const { organizationId } = c.get("auth");
  const contact = await withOrgContext(db, organizationId, async (org) => {
    const patch = await resolveInput(c.req.valid("json"), org);
    const emit = c.get("outbox").emitter(organizationId);
    const { id } = c.req.valid("param");
    return updateContact(db, organizationId, id, patch, org.writeGuards(), c.get("ifMatch"), emit);
  });
  c.header("ETag", etagOf(contact));
  return c.json(contact, 200);
};
