import "../../lib/docs";
import { deletedContactsQuerySchema } from "../../schemas/contact-query";
import { EXAMPLE_TIME, REFERENCE_CONTACT } from "../../schemas/examples";
import { deletedContactPageSchema } from "../../schemas/responses";
import { listDeletedContacts } from "../../services/contacts";
import { type AppRouteHandler, defineRoute, jsonContent } from "../define-route";

export const route = defineRoute({
  method: "get",
  path: "/api/contact/deleted",
  ...(DOCS && {
    operationId: "listDeletedContacts",
    tags: ["Contacts"],
    summary: "Contacts deleted since",
    description:
      "The organization's soft-deleted contacts, oldest deletion first (ties by id), until the retention purge " +
      "removes them: what a sync client must delete from its copy (docs/sync.md). Follow `meta.nextCursor` with the " +
      "same `deletedAfter`.",
  }),
  request: { query: deletedContactsQuerySchema },
  responses: {
    200: {
      description: "One page of tombstones.",
      content: jsonContent(deletedContactPageSchema, {
        data: [{ id: REFERENCE_CONTACT.id, deletedAt: EXAMPLE_TIME }],
        meta: { nextCursor: null },
      }),
    },
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { organizationId } = c.get("auth");
  return c.json(await listDeletedContacts(c.get("db"), organizationId, c.req.valid("query")), 200);
};
