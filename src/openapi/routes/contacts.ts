import { contactCreateSchema } from "../../schemas/contact";
import { contactSchema } from "../../schemas/responses";
import { CONTRACT_CONTACT, CONTRACT_CONTACT_INPUT } from "../examples";
import { defineRoutes } from "../registry";
import "../contact-fields";

const location = {
  Location: { description: "`/api/contact/<id>`: where the new contact can be read.", required: true },
};

export const contactDocs = defineRoutes([
  {
    method: "post",
    path: "/api/contact",
    operationId: "createContact",
    tag: "Contacts",
    summary: "Create a contact",
    description:
      "Validates the contact, normalises its phone to E.164 and stores it in the key's organization. " +
      "A live contact of the organization with the same phone answers `409 CONTACT_EXISTS` with its `existingId`.",
    body: {
      schema: contactCreateSchema,
      limit: 64 * 1024,
      examples: {
        contract: { summary: "The GoMobile reference example", value: CONTRACT_CONTACT_INPUT },
        minimal: { summary: "Only the phone", value: { primaryPhone: "+33 6 12 34 56 78" } },
      },
    },
    responses: {
      201: {
        description: "Created: the contact.",
        schema: contactSchema,
        example: CONTRACT_CONTACT,
        headers: location,
      },
    },
    errors: { 409: ["CONTACT_EXISTS"] },
  },
]);
