import { idParamSchema } from "../../schemas/common";
import { EXAMPLE_TIME, REFERENCE_CONTACT } from "../../schemas/examples";
import { contactDeletedSchema } from "../../schemas/responses";
import { deleteContact } from "../../services/contacts";
import { type AppRouteHandler, defineRoute, jsonContent } from "../define-route";

export const route = defineRoute(
  {
    method: "delete",
    path: "/api/contact/{id}",
    operationId: "deleteContact",
    tags: ["Contacts"],
    summary: "Delete a contact (soft)",
    description: "The row stays with `deletedAt`; the contact vanishes from every route and its phone is free again.",
    request: { params: idParamSchema },
    responses: {
      200: {
        description: "Deleted.",
        content: jsonContent(contactDeletedSchema, {
          id: REFERENCE_CONTACT.id,
          deleted: true,
          deletedAt: EXAMPLE_TIME,
        }),
      },
    },
  },
  { 404: ["NOT_FOUND"] },
);

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { organizationId } = c.get("auth");
  const emit = c.get("outbox").emitter(organizationId);
  return c.json(await deleteContact(c.get("db"), organizationId, c.req.valid("param").id, emit), 200);
};
