import { EXAMPLE_ORGANIZATION_ID, EXAMPLE_TIME } from "../../schemas/examples";

export const DEFINITION_EXAMPLE = {
  id: "0192f4e7-0a1b-7c2d-8e3f-405162738495",
  organizationId: EXAMPLE_ORGANIZATION_ID,
  name: "customer_age",
  displayName: "Customer Age",
  description: "Age in years",
  type: "number" as const,
  createdAt: EXAMPLE_TIME,
  updatedAt: EXAMPLE_TIME,
  deletedAt: null,
};

export const ATTRIBUTE_BODY_LIMIT = 8 * 1024;
