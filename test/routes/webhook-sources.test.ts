import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { mintApiKey } from "../../src/db/api-keys";
import { sha256Hex } from "../../src/lib/crypto";
import { api, createTenant } from "../helpers";
import { createSource, deliver } from "../webhook-helpers";

const create = (key: string, json: unknown) => api("/api/webhook-sources", { method: "POST", key, json });

describe("POST /api/webhook-sources", () => {
  it("creates a source and shows its token and absolute intake URL once; only the token's hash is stored", async () => {
    const t = await createTenant();
    const res = await create(t.key, {
      name: " Website quote form ",
      provider: "typeform",
      secret: "s3cret",
      fieldMap: { readable_ref_city: "city", utm_source: "customAttributes.utm_source" },
      defaultCountry: "fr",
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Record<string, unknown>;
    expect(res.headers.get("Location")).toBe(`/api/webhook-sources/${body.id}`);
    expect(body).toMatchObject({
      organizationId: t.organizationId,
      name: "Website quote form",
      provider: "typeform",
      hasSecret: true,
      fieldMap: { readable_ref_city: "city", utm_source: "customAttributes.utm_source" },
      defaultCountry: "FR",
      revokedAt: null,
    });
    expect(body).not.toHaveProperty("secret");
    expect(body.token).toMatch(/^whk_[A-Za-z0-9_-]{32}$/);
    expect(body.url).toBe(`http://localhost/hooks/${body.token}`);

    const row = await env.DB.prepare("SELECT * FROM webhook_sources WHERE id = ?").bind(body.id).first();
    expect(row?.token_hash).toBe(await sha256Hex(body.token as string));
    expect(JSON.stringify(row)).not.toContain(body.token as string);
  });

  it("is for admin keys only", async () => {
    for (const role of ["manager", "agent"] as const) {
      const t = await createTenant({ role });
      const res = await create(t.key, { name: "x", provider: "form" });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { code: string }).code).toBe("FORBIDDEN");
    }
  });

  it("validates every field and names each failure", async () => {
    const t = await createTenant();
    const res = await create(t.key, {
      provider: "wufoo",
      fieldMap: { a: "nickname", b: "customAttributes.Bad-Name", c: "customAttributes.ok", d: 3 },
      defaultCountry: "ZZ",
      extra: true,
    });
    expect(res.status).toBe(400);
    const { fieldDetails } = (await res.json()) as { fieldDetails: Record<string, { code: string }[]> };
    expect(fieldDetails).toEqual({
      name: [{ code: "isNotEmpty" }],
      provider: [{ code: "isIn" }],
      "fieldMap.a": [{ code: "invalidFieldMapTarget" }],
      "fieldMap.b": [{ code: "invalidFieldMapTarget" }],
      "fieldMap.d": [{ code: "invalidType" }],
      defaultCountry: [{ code: "unsupportedCountry" }],
      extra: [{ code: "whitelistValidation" }],
    });
  });

  it("a json source's secret must be a Standard Webhooks secret (whsec_ + base64 of 16+ bytes)", async () => {
    const t = await createTenant();
    for (const secret of ["s3cret", "whsec_c2hvcnQ=", "whsec_not base64!"]) {
      const res = await create(t.key, { name: "x", provider: "json", secret });
      expect(res.status).toBe(400);
      const { fieldDetails } = (await res.json()) as { fieldDetails: Record<string, { code: string }[]> };
      expect(fieldDetails.secret).toEqual([{ code: "invalidStandardWebhooksSecret" }]);
    }
    const ok = await create(t.key, { name: "x", provider: "json", secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" });
    expect(ok.status).toBe(201);
  });

  it("refuses a secret for a provider that does not sign its deliveries", async () => {
    const t = await createTenant();
    for (const provider of ["jotform", "form"]) {
      const res = await create(t.key, { name: "x", provider, secret: "s3cret" });
      expect(res.status).toBe(400);
      const { fieldErrors } = (await res.json()) as { fieldErrors: Record<string, string[]> };
      expect(fieldErrors.secret?.[0]).toContain("typeform, tally, webflow, json");
    }
  });

  it("answers 415 to another media type", async () => {
    const t = await createTenant();
    const res = await api("/api/webhook-sources", {
      method: "POST",
      key: t.key,
      body: "name=x",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(res.status).toBe(415);
  });
});

describe("GET /api/webhook-sources and GET /api/webhook-sources/:id", () => {
  it("lists the organization's sources newest first, never with a token or secret, to every role", async () => {
    const admin = await createTenant();
    const first = await createSource(admin.key, { name: "first", provider: "tally", secret: "s3cret" });
    const second = await createSource(admin.key, { name: "second", provider: "form" });
    const other = await createTenant();
    await createSource(other.key, { name: "theirs", provider: "json" });

    const res = await api("/api/webhook-sources", { key: admin.key });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(first.token);
    expect(text).not.toContain("s3cret");
    const list = JSON.parse(text) as Record<string, unknown>[];
    expect(list.map((s) => s.name)).toEqual(["second", "first"]);
    expect(list.map((s) => s.hasSecret)).toEqual([false, true]);
    expect(list[0]).not.toHaveProperty("token");
    expect(list[0]).not.toHaveProperty("url");

    const one = await api(`/api/webhook-sources/${second.id}`, { key: admin.key });
    expect(await one.json()).toEqual(list[0]);
  });

  it("lets managers and agents read sources and delivery logs", async () => {
    const admin = await createTenant();
    const source = await createSource(admin.key, { name: "s", provider: "form" });
    for (const role of ["manager", "agent"] as const) {
      const minted = await mintApiKey({ organizationId: admin.organizationId, name: role, role });
      await env.API_KEYS.put(minted.kvKey, JSON.stringify(minted.record));
      expect((await api("/api/webhook-sources", { key: minted.key })).status).toBe(200);
      expect((await api(`/api/webhook-sources/${source.id}`, { key: minted.key })).status).toBe(200);
      expect((await api(`/api/webhook-sources/${source.id}/deliveries`, { key: minted.key })).status).toBe(200);
      expect((await api(`/api/webhook-sources/${source.id}`, { method: "DELETE", key: minted.key })).status).toBe(403);
    }
  });

  it("answers 404 for another organization's source and 400 for an id that is not a UUID", async () => {
    const a = await createTenant();
    const b = await createTenant();
    const theirs = await createSource(b.key, { name: "b", provider: "form" });
    expect((await api(`/api/webhook-sources/${theirs.id}`, { key: a.key })).status).toBe(404);
    expect((await api(`/api/webhook-sources/${theirs.id}/deliveries`, { key: a.key })).status).toBe(404);
    expect((await api("/api/webhook-sources/not-a-uuid", { key: a.key })).status).toBe(400);
  });
});

describe("DELETE /api/webhook-sources/:id", () => {
  it("revokes the source: its URL answers 404, it stays listed with revokedAt, a second DELETE is 404", async () => {
    const t = await createTenant();
    const source = await createSource(t.key, { name: "s", provider: "json" });
    expect((await deliver(source.path, JSON.stringify({ phone: "+212612345601" }))).status).toBe(200);

    const res = await api(`/api/webhook-sources/${source.id}`, { method: "DELETE", key: t.key });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { id: string; revoked: boolean; revokedAt: string };
    expect(body).toMatchObject({ id: source.id, revoked: true });

    const after = await deliver(source.path, JSON.stringify({ phone: "+212612345602" }));
    expect(after.status).toBe(404);
    expect(((await after.json()) as { code: string }).code).toBe("NOT_FOUND");

    const listed = (await (await api("/api/webhook-sources", { key: t.key })).json()) as { revokedAt: string }[];
    expect(listed[0]?.revokedAt).toBe(body.revokedAt);
    const log = await api(`/api/webhook-sources/${source.id}/deliveries`, { key: t.key });
    expect(((await log.json()) as { meta: { total: number } }).meta.total).toBe(1);
    expect((await api(`/api/webhook-sources/${source.id}`, { method: "DELETE", key: t.key })).status).toBe(404);
  });

  it("cannot revoke another organization's source, which keeps working", async () => {
    const a = await createTenant();
    const b = await createTenant();
    const theirs = await createSource(b.key, { name: "b", provider: "json" });
    expect((await api(`/api/webhook-sources/${theirs.id}`, { method: "DELETE", key: a.key })).status).toBe(404);
    expect((await deliver(theirs.path, JSON.stringify({ phone: "+212612345603" }))).status).toBe(200);
  });
});

describe("GET /api/webhook-sources/:id/deliveries", () => {
  it("pages through the log newest first", async () => {
    const t = await createTenant();
    const source = await createSource(t.key, { name: "s", provider: "json" });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await deliver(source.path, JSON.stringify({ eventId: `e${i}`, phone: `+21261234561${i}` }));
      ids.push(((await res.json()) as { contactId: string }).contactId);
    }
    const page = async (query: string) =>
      (await (await api(`/api/webhook-sources/${source.id}/deliveries${query}`, { key: t.key })).json()) as {
        data: { eventId: string; contactId: string; status: string; httpStatus: number; payload: null }[];
        meta: Record<string, unknown>;
      };
    const first = await page("?limit=2");
    expect(first.data.map((d) => d.eventId)).toEqual(["e4", "e3"]);
    expect(first.data[0]).toMatchObject({ contactId: ids[4], status: "created", httpStatus: 200, payload: null });
    expect(first.meta).toEqual({
      page: 1,
      limit: 2,
      total: 5,
      totalPages: 3,
      hasNextPage: true,
      hasPreviousPage: false,
    });
    const last = await page("?limit=2&page=3");
    expect(last.data.map((d) => d.eventId)).toEqual(["e0"]);
    expect(last.meta).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });

  it("refuses bad paging parameters", async () => {
    const t = await createTenant();
    const source = await createSource(t.key, { name: "s", provider: "json" });
    for (const query of ["?limit=0", "?limit=101", "?page=0", "?page=x", "?sort=asc", "?limit=1e1"]) {
      const res = await api(`/api/webhook-sources/${source.id}/deliveries${query}`, { key: t.key });
      expect(res.status, query).toBe(400);
    }
  });
});
