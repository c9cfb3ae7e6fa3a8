import { idParamSchema } from "../../schemas/common";
import { contactCreateSchema, contactUpdateSchema, contactUpsertSchema } from "../../schemas/contact";
import { contactListQuerySchema } from "../../schemas/contact-query";
import {
  contactDeletedSchema,
  contactPageSchema,
  contactSchema,
  contactUpsertResultSchema,
} from "../../schemas/responses";
import { CONTRACT_CONTACT, CONTRACT_CONTACT_INPUT, EXAMPLE_TIME } from "../examples";
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
    idempotent: true,
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
  {
    method: "post",
    path: "/api/contact/upsert",
    operationId: "upsertContacts",
    idempotent: true,
    tag: "Contacts",
    summary: "Create or update contacts in bulk, by phone",
    description:
      "Every item is validated first; any invalid item answers `400` with each failure keyed `data.<index>.<field>`, " +
      "and nothing is written. An item whose phone matches a live contact is merged into it (present fields overwrite, " +
      "absent ones stay, `null` clears, `customAttributes` merge key by key); others create contacts. The same phone " +
      "twice merges in order. The batch is atomic.",
    body: {
      schema: contactUpsertSchema,
      limit: 2 * 1024 * 1024,
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
    responses: {
      200: {
        description: "One contact per input item, in input order, and what was done.",
        schema: contactUpsertResultSchema,
        example: {
          data: [
            { ...CONTRACT_CONTACT, city: null, customAttributes: { age: 31 }, updatedAt: EXAMPLE_TIME },
            {
              ...CONTRACT_CONTACT,
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
        },
      },
    },
  },
  {
    method: "get",
    path: "/api/contact",
    operationId: "listContacts",
    tag: "Contacts",
    summary: "List and search contacts",
    description:
      "Pages through the organization's live contacts. `search` is a case-insensitive substring of first, last and " +
      "full name, phone and e-mail. Ties in the sort order are broken by id, so pages never repeat or skip a contact. " +
      "An unknown or out-of-bounds parameter answers `400`.",
    query: contactListQuerySchema,
    responses: {
      200: {
        description: "One page of contacts and where it lies.",
        schema: contactPageSchema,
        example: {
          data: [CONTRACT_CONTACT],
          meta: { page: 1, limit: 20, total: 1, totalPages: 1, hasNextPage: false, hasPreviousPage: false },
        },
      },
    },
  },
  {
    method: "get",
    path: "/api/contact/:id",
    operationId: "getContact",
    tag: "Contacts",
    summary: "Read a contact",
    params: idParamSchema,
    responses: { 200: { description: "The contact.", schema: contactSchema, example: CONTRACT_CONTACT } },
    errors: { 404: ["NOT_FOUND"] },
  },
  ...(["put", "patch"] as const).map((method) => ({
    method,
    path: "/api/contact/:id",
    operationId: `${method === "put" ? "update" : "patch"}Contact`,
    tag: "Contacts" as const,
    summary: `Update a contact${method === "patch" ? " (same as PUT)" : ""}`,
    description:
      "A partial update with at least one field: present fields overwrite, absent ones stay, `null` clears, " +
      "`customAttributes` merge key by key (a `null` value removes the key). Moving to a phone that a live contact " +
      "already has answers `409 CONTACT_EXISTS` with its `existingId`.",
    params: idParamSchema,
    body: {
      schema: contactUpdateSchema,
      limit: 64 * 1024,
      examples: {
        move: {
          summary: "A new city, one attribute less",
          value: { city: "Rabat", customAttributes: { interests: null } },
        },
      },
    },
    responses: {
      200: {
        description: "The updated contact.",
        schema: contactSchema,
        example: { ...CONTRACT_CONTACT, city: "Rabat", customAttributes: { age: 30 }, updatedAt: EXAMPLE_TIME },
      },
    },
    errors: { 404: ["NOT_FOUND" as const], 409: ["CONTACT_EXISTS" as const] },
  })),
  {
    method: "delete",
    path: "/api/contact/:id",
    operationId: "deleteContact",
    tag: "Contacts",
    summary: "Delete a contact (soft)",
    description: "The row stays with `deletedAt`; the contact vanishes from every route and its phone is free again.",
    params: idParamSchema,
    responses: {
      200: {
        description: "Deleted.",
        schema: contactDeletedSchema,
        example: { id: CONTRACT_CONTACT.id, deleted: true, deletedAt: EXAMPLE_TIME },
      },
    },
    errors: { 404: ["NOT_FOUND"] },
  },
]);
