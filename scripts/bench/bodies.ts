/** Contact inputs for the load: every phone distinct within a run (each run has a fresh database). */
import { REFERENCE_CONTACT_INPUT } from "../../src/schemas/examples";

const NAMES = ["John Doe", "Amina Benali", "Lucas Martin", "Sofia Rossi", "Omar Haddad", "Emma Dubois"];

/** A phone allocator over one French mobile range (`+336x…`: every 7-digit suffix is a valid number). */
export function phoneRange(prefix: "+3361" | "+3362" | "+3363" | "+3364" | "+3365") {
  let next = 0;
  return () => `${prefix}${String(next++).padStart(7, "0")}`;
}

/**
 * The reference input (docs/api.md#the-contact) with another phone (and names varying with `i`): what a CRM sync sends.
 *
 * @example contactInput("+33610000000", 0).primaryPhone // "+33610000000"
 */
export function contactInput(phone: string, i: number) {
  const [firstName, lastName] = (NAMES[i % NAMES.length] as string).split(" ") as [string, string];
  return {
    ...REFERENCE_CONTACT_INPUT,
    primaryPhone: phone,
    firstName,
    lastName,
    fullName: `${firstName} ${lastName}`,
    primaryEmail: `${firstName}.${lastName}.${i}@example.com`.toLowerCase(),
    customAttributes: { age: 30 + (i % 40), interests: ["tech"] },
  };
}

/** Creates for autocannon: a new phone (from `prefix`) and the next input each time. */
function creates(path: string, headers: Record<string, string>, prefix: "+3361" | "+3363") {
  const phone = phoneRange(prefix);
  let i = 0;
  return {
    method: "POST" as const,
    path,
    headers: { "content-type": "application/json", ...headers },
    body: () => JSON.stringify(contactInput(phone(), i++)),
  };
}

/** `POST /api/contact` (B, B′; B‴ with `x-bench-queue: off`, scripts/bench/entry.ts). */
export const createRequest = (key: string, headers: Record<string, string> = {}) =>
  creates("/api/contact", { "x-api-key": key, ...headers }, "+3361");

/** B's floor, `POST /__bench/create-floor` (scripts/bench/entry.ts): the same bodies, its own phones. */
export const createFloorRequest = (organizationId: string) =>
  creates("/__bench/create-floor", { "x-bench-organization": organizationId }, "+3363");

/** The same contacts changed the way a second sync changes them: a field, and one attribute. */
export function updatedInput(phone: string, i: number) {
  return { primaryPhone: phone, city: "Rabat", customAttributes: { age: 31 + (i % 40), tier: "gold" } };
}
