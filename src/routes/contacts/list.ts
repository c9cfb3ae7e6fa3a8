import { contactListQuerySchema } from "../../schemas/contact-query";
import { REFERENCE_CONTACT } from "../../schemas/examples";
import { contactPageSchema } from "../../schemas/responses";
import { listContacts } from "../../services/contacts";
import { type AppRouteHandler, defineRoute, jsonContent } from "../define-route";

export const route = defineRoute({
  method: "get",
  path: "/api/contact",
  operationId: "listContacts",
  tags: ["Contacts"],
  summary: "List and search contacts",
  description:
    "Pages through the organization's live contacts. `search` is a case-insensitive substring of first, last and " +
    "full name, phone and e-mail. Ties in the sort order are broken by id, so pages never repeat or skip a contact. " +
    "An unknown or out-of-bounds parameter answers `400`.",
  request: { query: contactListQuerySchema },
  responses: {
    200: {
      description: "One page of contacts and where it lies.",
      content: jsonContent(contactPageSchema, {
        data: [REFERENCE_CONTACT],
        meta: { page: 1, limit: 20, total: 1, totalPages: 1, hasNextPage: false, hasPreviousPage: false },
      }),
    },
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { organizationId } = c.get("auth");
  return c.json(await listContacts(c.get("db"), organizationId, c.req.valid("query")), 200);
};
