import "../../lib/docs";
import { etagOf } from "../../lib/etag";
import { ETAG_HEADER } from "../../middleware/if-match";
import { idParamSchema } from "../../schemas/common";
import { REFERENCE_CONTACT } from "../../schemas/examples";
import { contactSchema } from "../../schemas/responses";
import { getContact } from "../../services/contacts";
import { type AppRouteHandler, defineRoute, jsonContent } from "../define-route";

export const route = defineRoute(
  {
    method: "get",
    path: "/api/contact/{id}",
    ...(DOCS && {
      operationId: "getContact",
      tags: ["Contacts"],
      summary: "Read a contact",
    }),
    request: { params: idParamSchema },
    responses: {
      200: {
        description: "The contact, and its ETag.",
        headers: ETAG_HEADER,
        content: jsonContent(contactSchema, REFERENCE_CONTACT),
      },
    },
  },
  { 404: ["NOT_FOUND"] },
);

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { organizationId } = c.get("auth");
  const contact = await getContact(c.get("db"), organizationId, c.req.valid("param").id);
  c.header("ETag", etagOf(contact));
  return c.json(contact, 200);
};
