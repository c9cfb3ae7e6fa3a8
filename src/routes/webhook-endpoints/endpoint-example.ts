import { EXAMPLE_ORGANIZATION_ID, EXAMPLE_TIME } from "../../schemas/examples";

export const ENDPOINT_EXAMPLE = {
  id: "0192f4e9-2b3c-7d4e-8f50-6a7b8c9d0e1f",
  organizationId: EXAMPLE_ORGANIZATION_ID,
  url: "https://crm.example.com/hooks/contacts",
  description: "CRM sync",
  events: ["contact.created", "contact.updated", "contact.deleted", "contact.erased"],
  disabled: false,
  createdAt: EXAMPLE_TIME,
  updatedAt: EXAMPLE_TIME,
  disabledAt: null,
};

export const EVENT_ID_EXAMPLE = "0192f4ea-3c4d-7e5f-8a61-7b8c9d0e1f20";
