import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { expect } from "vitest";
import { getDb } from "../src/db/client";
import type { Contact, ContactRow } from "../src/db/contacts";
import { contacts } from "../src/db/schema";
import type { ContactCreateInput } from "../src/schemas/contact";
import { ATTRIBUTE_LIMITS } from "../src/schemas/contact-fields";
import { newContactRow } from "../src/services/contacts";
import { api, freshPhone } from "./helpers";

/** Creates a contact through the API (a fresh phone unless given) and returns it. */
export async function createContact(key: string, fields: Record<string, unknown> = {}): Promise<Contact> {
  const res = await api("/api/contact", { method: "POST", key, json: { primaryPhone: freshPhone(), ...fields } });
  expect(res.status).toBe(201);
  return res.json();
}

/**
 * Writes contacts straight to D1, all with the same `createdAt`: ties that requests made one
 * after another would rarely produce. Inputs must already be valid (phones in E.164).
 */
export async function insertContacts(
  organizationId: string,
  inputs: Omit<ContactCreateInput, "primaryPhone">[],
  at = new Date("2026-01-01T00:00:00.000Z"),
): Promise<ContactRow[]> {
  const rows = inputs.map((input) => newContactRow(organizationId, { primaryPhone: freshPhone(), ...input }, at));
  const db = getDb(env.DB);
  for (const row of rows) await db.insert(contacts).values(row);
  return rows;
}

/** The stored row, deleted or not: what the API cannot show. */
export function storedRow(id: string): Promise<ContactRow | undefined> {
  return getDb(env.DB).select().from(contacts).where(eq(contacts.id, id)).get();
}

/** Every stored row of an organization, deleted ones included, in id order. */
export function storedRowsOf(organizationId: string): Promise<ContactRow[]> {
  return getDb(env.DB).select().from(contacts).where(eq(contacts.organizationId, organizationId)).orderBy(contacts.id);
}

/** A JSON error body's code and field errors, for compact assertions. */
export async function errorOf(res: Response): Promise<{ status: number; code: string; fields: string[] }> {
  const body = (await res.json()) as { code: string; fieldErrors?: Record<string, string[]> };
  return { status: res.status, code: body.code, fields: Object.keys(body.fieldErrors ?? {}).sort() };
}

const encoder = new TextEncoder();
const bytes = (value: unknown) => encoder.encode(JSON.stringify(value)).length;

/**
 * The 16 KB limit on serialised `customAttributes` has no JSON Schema keyword: keys are dropped
 * until the object fits. Typed values need no such care in a fresh organization (no definitions).
 * Smaller limits leave room for a merge (several upsert items into one contact).
 */
export function fitAttributes(
  attributes: unknown,
  limits: { keys: number; bytes: number } = ATTRIBUTE_LIMITS,
): unknown {
  if (attributes === null || typeof attributes !== "object") return attributes;
  const fitted = { ...attributes } as Record<string, unknown>;
  const keys = Object.keys(fitted);
  while (keys.length > limits.keys || bytes(fitted) > limits.bytes) delete fitted[keys.pop() as string];
  return fitted;
}

/**
 * A generated contact body with what no JSON Schema can say set to known-valid values: a fresh
 * phone (validity is libphonenumber's metadata, which the pattern only bounds; fresh, so no 409)
 * and attributes that fit in 16 KB (see {@link fitAttributes}).
 */
export function knownValidContact(generated: unknown): Record<string, unknown> {
  const body = { ...(generated as Record<string, unknown>) };
  if ("primaryPhone" in body) body.primaryPhone = freshPhone();
  if ("customAttributes" in body) body.customAttributes = fitAttributes(body.customAttributes);
  return body;
}
