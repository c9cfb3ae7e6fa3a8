import { EXAMPLE_ORGANIZATION_ID, EXAMPLE_TIME } from "../../schemas/examples";

export const SOURCE_EXAMPLE = {
  id: "0192f4e7-5c6d-7e8f-9a0b-1c2d3e4f5061",
  organizationId: EXAMPLE_ORGANIZATION_ID,
  name: "Website contact form",
  provider: "typeform" as const,
  hasSecret: true,
  fieldMap: { company_ref: "occupation" },
  defaultCountry: "MA",
  createdAt: EXAMPLE_TIME,
  updatedAt: EXAMPLE_TIME,
  revokedAt: null,
  droppedPayloads: 0,
};
