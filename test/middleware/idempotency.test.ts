import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { getDb } from "../../src/db/client";
import { contacts, idempotencyKeys } from "../../src/db/schema";
import { d1Session } from "../../src/middleware/d1-session";
import { idempotency, MAX_STORED_ANSWER_BYTES, requestHashOf } from "../../src/middleware/idempotency";
import { jsonBody } from "../../src/middleware/json-body";
import type { AppEnv } from "../../src/types";
import { buildRequest, deferred, faultyD1, fetchWith } from "../faults";
import { api, createTenant, freshPhone, REFERENCE_EXAMPLE, type Tenant } from "../helpers";

const db = getDb(env.DB);

function create(tenant: Tenant, body: unknown, idempotencyKey?: string) {
  return api("/api/contact", {
    method: "POST",
    key: tenant.key,
    json: body,
    headers: idempotencyKey === undefined ? {} : { "Idempotency-Key": idempotencyKey },
  });
}

const recordOf = (tenant: Tenant, key: string) =>
  db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.organizationId, tenant.organizationId), eq(idempotencyKeys.key, key)))
    .get();

const rowsWithPhone = (tenant: Tenant, phone: string) =>
  db
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(eq(contacts.organizationId, tenant.organizationId), eq(contacts.primaryPhone, phone)))
    .all();

/** The key record of a new organization, as auth puts it on the context. */
async function createTenantRecord() {
  const tenant = await createTenant();
  return {
    keyId: tenant.keyId,
    organizationId: tenant.organizationId,
    name: "test key",
    role: "admin" as const,
    createdAt: new Date().toISOString(),
    expiresAt: null,
    disabled: false,
  };
}

/** A request hash exactly as the middleware computes it for a create with this body. */
const hashOfCreate = (body: unknown) =>
  requestHashOf("POST", "/api/contact", new TextEncoder().encode(JSON.stringify(body)));

describe("Idempotency-Key on POST /api/contact", () => {
  it("replays the first answer, with Idempotent-Replayed, and writes nothing more", async () => {
    const tenant = await createTenant();
    const body = { ...REFERENCE_EXAMPLE, primaryPhone: freshPhone() };
    const first = await create(tenant, body, "order-1");
    expect(first.status).toBe(201);
    expect(first.headers.get("Idempotent-Replayed")).toBeNull();
    const created = await first.json<{ id: string }>();

    const again = await create(tenant, body, "order-1");
    expect(again.status).toBe(201);
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect(again.headers.get("Location")).toBe(`/api/contact/${created.id}`);
    expect(again.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(await again.json()).toEqual(created);
    expect(await rowsWithPhone(tenant, body.primaryPhone)).toEqual([{ id: created.id }]);
  });

  it("stores the answer with the row: status 201 and the body as sent", async () => {
    const tenant = await createTenant();
    const body = { primaryPhone: freshPhone(), firstName: "Ada" };
    const created = await (await create(tenant, body, "k-stored")).json<{ id: string }>();
    const record = await recordOf(tenant, "k-stored");
    expect(record?.status).toBe(201);
    expect(JSON.parse(record?.body ?? "null")).toEqual(created);
    expect(record?.requestHash).toBe(await hashOfCreate(body));
    expect(Date.parse(record?.expiresAt ?? "") - Date.parse(record?.createdAt ?? "")).toBe(24 * 3600 * 1000);
  });

  it("refuses the same key with another body: 422 IDEMPOTENCY_KEY_REUSED, nothing written", async () => {
    const tenant = await createTenant();
    expect((await create(tenant, { primaryPhone: freshPhone() }, "k-reuse")).status).toBe(201);
    const other = freshPhone();
    const res = await create(tenant, { primaryPhone: other }, "k-reuse");
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ statusCode: 422, code: "IDEMPOTENCY_KEY_REUSED" });
    expect(await rowsWithPhone(tenant, other)).toEqual([]);
  });

  it("answers 409 IDEMPOTENCY_IN_PROGRESS while the first request runs, then replays it", async () => {
    const tenant = await createTenant();
    const body = { primaryPhone: freshPhone() };
    const gate = deferred();
    const request = () =>
      buildRequest("/api/contact", { key: tenant.key, json: body, headers: { "Idempotency-Key": "k-running" } });
    // The first request holds the key, stalled in front of its write batch.
    const first = fetchWith({ DB: faultyD1({ gate: gate.promise }) }, request());
    let record = await recordOf(tenant, "k-running");
    while (!record) {
      await scheduler.wait(1);
      record = await recordOf(tenant, "k-running");
    }
    expect(record.status).toBeNull();

    const second = await fetchWith({}, request());
    expect(second.status).toBe(409);
    expect(second.headers.get("Retry-After")).toBe("1");
    expect(await second.json()).toMatchObject({ code: "IDEMPOTENCY_IN_PROGRESS" });

    gate.resolve();
    const done = await first;
    expect(done.status).toBe(201);
    const third = await fetchWith({}, request());
    expect(third.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await third.json()).toEqual(await done.json());
    expect(await rowsWithPhone(tenant, body.primaryPhone)).toHaveLength(1);
  });

  it("takes over a reservation abandoned for over 60 s", async () => {
    const tenant = await createTenant();
    const body = { primaryPhone: freshPhone() };
    const longAgo = new Date(Date.now() - 61_000).toISOString();
    await db.insert(idempotencyKeys).values({
      organizationId: tenant.organizationId,
      key: "k-dead",
      requestHash: await hashOfCreate(body),
      status: null,
      body: null,
      createdAt: longAgo,
      expiresAt: new Date(Date.now() + 3600_000).toISOString(),
    });
    const res = await create(tenant, body, "k-dead");
    expect(res.status).toBe(201);
    expect(res.headers.get("Idempotent-Replayed")).toBeNull();
    expect((await recordOf(tenant, "k-dead"))?.status).toBe(201);
  });

  it("never serves an expired record: the request runs again", async () => {
    const tenant = await createTenant();
    const body = { primaryPhone: freshPhone() };
    await db.insert(idempotencyKeys).values({
      organizationId: tenant.organizationId,
      key: "k-old",
      requestHash: await hashOfCreate(body),
      status: 201,
      body: JSON.stringify({ id: "stale" }),
      createdAt: new Date(Date.now() - 25 * 3600_000).toISOString(),
      expiresAt: new Date(Date.now() - 3600_000).toISOString(),
    });
    const res = await create(tenant, body, "k-old");
    expect(res.status).toBe(201);
    expect(res.headers.get("Idempotent-Replayed")).toBeNull();
    const created = await res.json<{ id: string }>();
    expect(created.id).not.toBe("stale");
    expect(await rowsWithPhone(tenant, body.primaryPhone)).toEqual([{ id: created.id }]);
  });

  it("does not remember a request refused by validation: the corrected retry with the same key runs", async () => {
    const tenant = await createTenant();
    const phone = freshPhone();
    const bad = await create(tenant, { primaryPhone: phone, primaryEmail: "not-an-email" }, "k-fix");
    expect(bad.status).toBe(400);
    expect(await recordOf(tenant, "k-fix")).toBeUndefined();
    const good = await create(tenant, { primaryPhone: phone }, "k-fix");
    expect(good.status).toBe(201);
  });

  it("releases the key when the phone is refused after the key was reserved (no default country)", async () => {
    const tenant = await createTenant();
    const bad = await create(tenant, { primaryPhone: "0612345678" }, "k-national");
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ fieldDetails: { primaryPhone: [{ code: "missingCountryCode" }] } });
    expect(await recordOf(tenant, "k-national")).toBeUndefined();
    expect((await create(tenant, { primaryPhone: "+212612345678" }, "k-national")).status).toBe(201);
  });

  it("does not remember a 409 CONTACT_EXISTS: nothing was written, the retry runs again", async () => {
    const tenant = await createTenant();
    const body = { primaryPhone: freshPhone() };
    const { id } = await (await create(tenant, body)).json<{ id: string }>();
    const conflict = await create(tenant, body, "k-dup");
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toMatchObject({ code: "CONTACT_EXISTS", existingId: id });
    expect(await recordOf(tenant, "k-dup")).toBeUndefined();
    const retry = await create(tenant, body, "k-dup");
    expect(retry.status).toBe(409);
    expect(retry.headers.get("Idempotent-Replayed")).toBeNull();
  });

  it("does not remember a request refused by auth", async () => {
    const before = await db.$count(idempotencyKeys);
    const res = await api("/api/contact", {
      method: "POST",
      key: "cek_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      json: { primaryPhone: freshPhone() },
      headers: { "Idempotency-Key": "k-auth" },
    });
    expect(res.status).toBe(401);
    expect(await db.$count(idempotencyKeys)).toBe(before);
  });

  it("keeps keys apart per organization: another organization's identical key is unrelated", async () => {
    const a = await createTenant();
    const b = await createTenant();
    const body = { primaryPhone: freshPhone() };
    const first = await (await create(a, body, "shared-key")).json<{ id: string; organizationId: string }>();
    const res = await create(b, body, "shared-key");
    expect(res.status).toBe(201);
    expect(res.headers.get("Idempotent-Replayed")).toBeNull();
    const second = await res.json<{ id: string; organizationId: string }>();
    expect(second.organizationId).toBe(b.organizationId);
    expect(second.id).not.toBe(first.id);
    // And b's different body under a's key is no 422 either.
    expect((await create(b, { primaryPhone: freshPhone() }, "only-in-a")).status).toBe(201);
  });

  it("requests without the header are not deduplicated", async () => {
    const tenant = await createTenant();
    const before = await db.$count(idempotencyKeys);
    expect((await create(tenant, { primaryPhone: freshPhone() })).status).toBe(201);
    expect(await db.$count(idempotencyKeys)).toBe(before);
  });

  it.each([
    ["empty", ""],
    ["256 characters", "a".repeat(256)],
    ["not ASCII", "clé"],
    ["a control character", "a\tb"],
  ])("refuses a key that is %s: 400 VALIDATION_FAILED on Idempotency-Key", async (_, key) => {
    const tenant = await createTenant();
    const phone = freshPhone();
    const res = await create(tenant, { primaryPhone: phone }, key);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      code: "VALIDATION_FAILED",
      fieldErrors: { "Idempotency-Key": ["Idempotency-Key must be 1 to 255 printable ASCII characters"] },
      fieldDetails: { "Idempotency-Key": [{ code: "invalidIdempotencyKey" }] },
    });
    expect(await rowsWithPhone(tenant, phone)).toEqual([]);
  });

  it("accepts a key of 255 printable characters, spaces included", async () => {
    const tenant = await createTenant();
    const key = `a b~${"x".repeat(251)}`;
    expect((await create(tenant, { primaryPhone: freshPhone() }, key)).status).toBe(201);
    expect((await recordOf(tenant, key))?.status).toBe(201);
  });

  it("stores nothing when the write batch fails, and the retry with the same key creates the contact", async () => {
    const tenant = await createTenant();
    const body = { primaryPhone: freshPhone() };
    const request = () =>
      buildRequest("/api/contact", { key: tenant.key, json: body, headers: { "Idempotency-Key": "k-503" } });
    const failed = await fetchWith({ DB: faultyD1({ failBatch: true }) }, request());
    expect(failed.status).toBe(503);
    expect(failed.headers.get("Retry-After")).toBe("1");
    expect(await recordOf(tenant, "k-503")).toBeUndefined();
    expect(await rowsWithPhone(tenant, body.primaryPhone)).toEqual([]);

    const retried = await fetchWith({}, request());
    expect(retried.status).toBe(201);
    expect(await rowsWithPhone(tenant, body.primaryPhone)).toHaveLength(1);
  });
});

describe("idempotency() on a handler without a write batch of its own", () => {
  // A route that answers 200 without calling finalize: its answer is stored after the fact.
  let auth: Promise<AppEnv["Variables"]["auth"]> | undefined;
  const app = new Hono<AppEnv>()
    .use(async (c, next) => {
      auth ??= createTenantRecord();
      c.set("auth", await auth);
      c.set("requestId", "test");
      await next();
    })
    .use(d1Session)
    .post("/echo", jsonBody(1024), idempotency(), async (c) => c.json({ n: Math.random() }, 200))
    // Answers too big for one D1 value, once through finalize and once after the fact.
    .post("/big", jsonBody(1024), idempotency(), async (c) => {
      const body = { n: Math.random(), pad: "x".repeat(MAX_STORED_ANSWER_BYTES) };
      if (c.req.query("finalize") !== undefined) c.get("finalize")(200, body);
      return c.json(body, 200);
    });

  const post = (path: string, key: string) =>
    app.fetch(
      new Request(`http://localhost${path}`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "Idempotency-Key": key },
        body: "{}",
      }),
      env,
    );

  it("stores the 2xx answer after the fact and replays it", async () => {
    const first = await post("/echo", "echo-1");
    expect(first.status).toBe(200);
    const again = await post("/echo", "echo-1");
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await again.json()).toEqual(await first.json());
  });

  it.each(["/big?finalize", "/big"])("releases the key when the answer is too big to store (%s)", async (path) => {
    const key = `big-${path}`;
    const first = await post(path, key);
    expect(first.status).toBe(200);
    const { organizationId } = await (auth as Promise<AppEnv["Variables"]["auth"]>);
    expect(
      await db
        .select()
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.organizationId, organizationId), eq(idempotencyKeys.key, key)))
        .get(),
    ).toBeUndefined();
    const again = await post(path, key);
    expect(again.status).toBe(200);
    expect(again.headers.get("Idempotent-Replayed")).toBeNull();
  });
});
