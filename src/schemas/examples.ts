// Example values shared by the document's examples. They are checked against the schemas by the
// OpenAPI linter (`no-invalid-media-type-examples`), so they cannot drift from the contract.

export const EXAMPLE_ORGANIZATION_ID = "0192f4e6-1c2b-7d3e-8f40-5a6b7c8d9e0f";
export const EXAMPLE_CONTACT_ID = "0192f4e6-7b1a-7c3e-9a4f-2d8b6c1e5f30";
export const EXAMPLE_KEY_ID = "0192f4e5-f0a1-7b2c-8d3e-4f5061728394";
export const EXAMPLE_REQUEST_ID = "6f1c2d3e-4b5a-4978-8a9b-0c1d2e3f4a5b";
export const EXAMPLE_TIME = "2024-01-01T00:00:00.000Z";

/** The canonical example of docs/api.md#the-contact: the GoMobile reference request. */
export const REFERENCE_CONTACT_INPUT = {
  primaryPhone: "+212612345678",
  firstName: "John",
  lastName: "Doe",
  fullName: "John Doe",
  primaryEmail: "john@example.com",
  address: "123 Main St",
  city: "Casablanca",
  state: "Casablanca-Settat",
  zip: "20000",
  occupation: "Engineer",
  preferredChannel: "phone",
  customAttributes: { age: 30, interests: ["tech"] },
};

/** Its answer: the input, in the contact's field order, with what the server adds. */
const { primaryPhone, customAttributes, ...names } = REFERENCE_CONTACT_INPUT;
export const REFERENCE_CONTACT = {
  id: EXAMPLE_CONTACT_ID,
  organizationId: EXAMPLE_ORGANIZATION_ID,
  primaryPhone,
  channels: [],
  createdAt: EXAMPLE_TIME,
  updatedAt: EXAMPLE_TIME,
  ...names,
  gender: null,
  customAttributes,
};
