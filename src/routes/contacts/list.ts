import "../../lib/docs";
import { contactListQuerySchema } from "../../schemas/contact-query";
import { REFERENCE_CONTACT } from "../../schemas/examples";
import { contactPageSchema } from "../../schemas/responses";
import { listContacts } from "../../services/contacts";
import { type AppRouteHandler, defineRoute, jsonContent } from "../define-route";

export const route = defineRoute({
  method: "get",
  path: "/api/contact",
  ...(DOCS && {
    operationId: "listContacts",
    tags: ["Contacts"],
    summary: "List and search contacts",
    description:
      "Pages through the organization's live contacts, by `page` (with a total) or by `cursor` (keyset: every page " +
      "costs the same at any depth; follow `meta.nextCursor` with the same other parameters). `search` is a " +
      "case-insensitive substring of first, last and full name, phone and e-mail; `primaryPhone` and `primaryEmail` " +
      "are exact lookups; `updatedAfter` with `sortBy=updatedAt&sortOrder=asc` is the sync feed (docs/sync.md). " +
      "Ties in the sort order are broken by id. An unknown or out-of-bounds parameter, a foreign or mismatched " +
      "`cursor`, or `cursor` with `page` answers `400`.",
  }),
  request: { query: contactListQuerySchema },
  responses: {
    200: {
      description: "One page of contacts and where it lies.",
      content: jsonContent(contactPageSchema, {
        data: [REFERENCE_CONTACT],
        meta: {
          page: 1,
          limit: 20,
          total: 1,
          totalPages: 1,
          hasNextPage: false,
          hasPreviousPage: false,
          nextCursor: null,
        },
      }),
    },
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { organizationId } = c.get("auth");
  return c.json(await listContacts(c.get("db"), organizationId, c.req.valid("query")), 200);
};
