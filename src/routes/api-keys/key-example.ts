import { EXAMPLE_KEY_ID, EXAMPLE_ORGANIZATION_ID, EXAMPLE_TIME } from "../../schemas/examples";

export const KEY_EXAMPLE = {
  keyId: EXAMPLE_KEY_ID,
  name: "crm sync",
  role: "agent" as const,
  createdAt: EXAMPLE_TIME,
  expiresAt: null,
};

export const CREATED_KEY_EXAMPLE = {
  key: "cek_q2w7E9bXk1mZp0aL4sT8uV6yR2nQ5hJ3",
  ...KEY_EXAMPLE,
  organizationId: EXAMPLE_ORGANIZATION_ID,
};
