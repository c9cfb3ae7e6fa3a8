import { env, exports } from "cloudflare:workers";
import fc from "fast-check";
import { mintApiKey, type Role, writeIndexEntry, writeRecord } from "../src/db/api-keys";
import { getDb } from "../src/db/client";
import { customAttributes, organizations } from "../src/db/schema";
import { uuidv7 } from "../src/lib/ids";
import type { AttributeType } from "../src/schemas/custom-attribute";
import { assertDocumented } from "./conformance";

export interface Tenant {
  organizationId: string;
  key: string;
  keyId: string;
}

/** A new organization in D1 with one key in KV (its record and its index entry), as the key service stores them. */
export async function createTenant(
  options: { defaultCountry?: string; role?: Role; expiresAt?: string | null; disabled?: boolean } = {},
): Promise<Tenant> {
  const organizationId = uuidv7();
  await getDb(env.DB)
    .insert(organizations)
    .values({
      id: organizationId,
      name: "Test org",
      defaultCountry: options.defaultCountry ?? null,
      createdAt: new Date().toISOString(),
    });
  const minted = await mintApiKey({
    organizationId,
    name: "test key",
    role: options.role ?? "admin",
    expiresAt: options.expiresAt ?? null,
  });
  const record = { ...minted.record, disabled: options.disabled ?? false };
  await writeIndexEntry(env.API_KEYS, minted.hash, record);
  await writeRecord(env.API_KEYS, minted.kvKey, record);
  return { organizationId, key: minted.key, keyId: record.keyId };
}

export interface TestRequestInit {
  method?: string;
  key?: string;
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
}

/** The request a client would send: `key` as X-API-Key, `json` as a JSON body; GET unless told. */
export function requestOf(path: string, init: TestRequestInit = {}): Request {
  const headers = new Headers(init.headers);
  if (init.key) headers.set("X-API-Key", init.key);
  let body = init.body;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    if (!headers.has("Content-Type")) headers.set("Content-Type", "application/json");
  }
  return new Request(`http://localhost${path}`, { method: init.method ?? "GET", headers, body });
}

/**
 * A custom attribute definition written straight into D1, past the API and any isolate's cache:
 * as a request served by another isolate leaves it.
 */
export async function insertDefinition(
  organizationId: string,
  name: string,
  type: AttributeType,
  deletedAt: string | null = null,
): Promise<void> {
  const now = new Date().toISOString();
  await getDb(env.DB).insert(customAttributes).values({
    id: uuidv7(),
    organizationId,
    name,
    displayName: name,
    description: null,
    type,
    createdAt: now,
    updatedAt: now,
    deletedAt,
  });
}

/**
 * A request to the worker under test, as a client would send it. The answer must be one that the
 * OpenAPI document describes (route, status, headers, body), else the test fails.
 */
export async function api(path: string, init: TestRequestInit = {}): Promise<Response> {
  const request = requestOf(path, init);
  const response = await exports.default.fetch(request);
  await assertDocumented(request, response);
  return response;
}

/** The reference request of docs/api.md#the-contact. */
export const REFERENCE_EXAMPLE = {
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

let phoneCounter = 0;
/** A distinct valid French mobile number per call (storage is per test file, so per-file unique is enough). */
export function freshPhone(): string {
  phoneCounter += 1;
  return `+336${String(10_000_000 + phoneCounter).slice(-8)}`;
}

/**
 * A property's input with at most 200 shrink steps: each step sends requests, and a shrink that the
 * test's timeout cuts short reports nothing at all.
 */
export const fewShrinks = <T>(arbitrary: fc.Arbitrary<T>) => fc.limitShrink(arbitrary, 200);

/** The body of a message sent as `json`; throws for any other content type (the runtime's default is `v8`). */
export function jsonMessage<T>(body: T, contentType: QueueContentType | undefined): T {
  if (contentType !== "json") throw new Error(`queue message sent as ${contentType ?? "v8 (the default)"}, not json`);
  return body;
}
