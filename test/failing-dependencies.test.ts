import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { clearApiKeyCache } from "../src/db/api-key-lookup";
import { getDb } from "../src/db/client";
import { contacts } from "../src/db/schema";
import { buildRequest, faultyD1, fetchWith, unreachableKv } from "./faults";
import { createTenant, freshPhone, type Tenant } from "./helpers";

const db = getDb(env.DB);
const isContactInsert = (sql: string) => /^insert into "contacts"/i.test(sql);

const rowsWithPhone = (tenant: Tenant, phone: string) =>
  db
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(eq(contacts.organizationId, tenant.organizationId), eq(contacts.primaryPhone, phone)))
    .all();

const createRequest = (tenant: Tenant, phone: string, headers: Record<string, string> = {}) =>
  buildRequest("/api/contact", {
    key: tenant.key,
    json: { primaryPhone: phone, primaryEmail: "jane@example.com" },
    headers,
  });

/** The 503 of docs/api.md#errors, which says nothing of the failure. */
async function expectUnavailable(res: Response) {
  expect(res.status).toBe(503);
  expect(res.headers.get("Retry-After")).toBe("1");
  const { requestId: _, timestamp: __, ...body } = await res.json<Record<string, unknown>>();
  expect(body).toMatchObject({ statusCode: 503, code: "SERVICE_UNAVAILABLE" });
  // Without the request id, a UUID whose hex digits could spell "d1".
  expect(JSON.stringify(body)).not.toMatch(/insert|select|contacts|D1|overloaded|\+33|example\.com/i);
}

beforeEach(() => {
  // A key cached in this isolate would spare the KV read these tests make fail.
  clearApiKeyCache();
});

describe("failing dependencies", () => {
  it("KV unreachable → 503, fail closed, nothing written", async () => {
    const tenant = await createTenant();
    const phone = freshPhone();
    await expectUnavailable(await fetchWith({ API_KEYS: unreachableKv }, createRequest(tenant, phone)));
    expect(await rowsWithPhone(tenant, phone)).toEqual([]);
  });

  it("D1 overloaded on the insert → 503 SERVICE_UNAVAILABLE with Retry-After, nothing written", async () => {
    const tenant = await createTenant();
    const phone = freshPhone();
    const DB = faultyD1({ failWhen: isContactInsert });
    await expectUnavailable(await fetchWith({ DB }, createRequest(tenant, phone)));
    expect(await rowsWithPhone(tenant, phone)).toEqual([]);
  });

  it("any D1 error (here: every statement fails) → 503", async () => {
    const tenant = await createTenant();
    const DB = faultyD1({ failWhen: () => true, error: () => new Error("D1_ERROR: Network connection lost.") });
    await expectUnavailable(await fetchWith({ DB }, createRequest(tenant, freshPhone())));
  });

  it("a failing write batch leaves nothing half-written: no contact, no idempotency record", async () => {
    const tenant = await createTenant();
    const phone = freshPhone();
    const DB = faultyD1({ failBatch: true });
    await expectUnavailable(await fetchWith({ DB }, createRequest(tenant, phone, { "Idempotency-Key": "batch" })));
    expect(await rowsWithPhone(tenant, phone)).toEqual([]);
  });

  it("two concurrent creates of one phone: one 201, one 409 naming it, never a 500", async () => {
    const tenant = await createTenant();
    const phone = freshPhone();
    const responses = await Promise.all([
      fetchWith({}, createRequest(tenant, phone)),
      fetchWith({}, createRequest(tenant, phone)),
      fetchWith({}, createRequest(tenant, phone, { "Idempotency-Key": "race" })),
    ]);
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409]);
    const [created] = await rowsWithPhone(tenant, phone);
    for (const res of responses.filter((r) => r.status === 409)) {
      expect(await res.json()).toMatchObject({ code: "CONTACT_EXISTS", existingId: created?.id });
    }
  });

  it("a uniqueness race that reaches SQLite as an error → 409 CONTACT_EXISTS, not 500 or 503", async () => {
    const tenant = await createTenant();
    const phone = freshPhone();
    expect((await fetchWith({}, createRequest(tenant, phone))).status).toBe(201);
    // Without ON CONFLICT, the second insert fails on the unique index as a losing writer would.
    const DB = faultyD1({ rewrite: (sql) => sql.replace(/ on conflict do nothing/i, "") });
    const res = await fetchWith({ DB }, createRequest(tenant, phone));
    expect(res.status).toBe(409);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ code: "CONTACT_EXISTS" });
    expect(text).not.toMatch(/constraint|primary_phone|\+33/i);
    expect(await rowsWithPhone(tenant, phone)).toHaveLength(1);
  });

  it("an unknown error → 500 INTERNAL_ERROR that says nothing of it", async () => {
    const tenant = await createTenant();
    const phone = freshPhone();
    const DB = faultyD1({
      failBatch: true,
      error: () => new TypeError(`cannot read ${phone} of jane@example.com in insert into contacts`),
    });
    const res = await fetchWith({ DB }, createRequest(tenant, phone, { "Idempotency-Key": "bug" }));
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({
      statusCode: 500,
      code: "INTERNAL_ERROR",
      message: "Internal server error",
    });
    expect(text).not.toMatch(/insert|contacts|example\.com|\+33|TypeError|stack/i);
  });
});
