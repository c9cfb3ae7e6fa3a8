import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { assertDocumented } from "../conformance";
import { api, createTenant, freshPhone, type Tenant } from "../helpers";

const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext;

/** The 401 body with what legitimately differs per request taken out. */
async function unauthorizedBody(res: Response) {
  expect(res.status).toBe(401);
  const { timestamp, requestId, ...rest } = (await res.json()) as Record<string, unknown>;
  expect(timestamp).toBeTypeOf("string");
  expect(requestId).toBeTypeOf("string");
  return rest;
}

describe("API keys", () => {
  it("accepts X-API-Key and Authorization: Bearer, and GET /api/me tells who the caller is", async () => {
    const t = await createTenant({ role: "agent" });
    const ways: Record<string, string>[] = [{ "X-API-Key": t.key }, { Authorization: `Bearer ${t.key}` }];
    for (const headers of ways) {
      const res = await api("/api/me", { headers });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        organizationId: t.organizationId,
        keyId: t.keyId,
        keyName: "test key",
        role: "agent",
      });
    }
  });

  it("takes the key from either header, treats an empty header as absent and refuses two different keys", async () => {
    const a = await createTenant({ role: "agent" });
    const b = await createTenant({ role: "agent" });
    const unknown = `cek_${"C".repeat(32)}`;
    const ambiguous = "Send one API key: X-API-Key and Authorization carry different credentials";
    // X-API-Key, Authorization, then who is served: a tenant (200 as it), "invalid" (the usual 401) or "ambiguous".
    const cases: [string | undefined, string | undefined, Tenant | "invalid" | "ambiguous"][] = [
      // One header, the other absent, empty or whitespace only: the one decides.
      [a.key, undefined, a],
      [a.key, "", a],
      [a.key, "   ", a],
      [a.key, "Bearer", a],
      [a.key, "Bearer   ", a],
      [undefined, `Bearer ${a.key}`, a],
      ["", `Bearer ${a.key}`, a],
      ["   ", `bearer ${a.key}`, a],
      [unknown, undefined, "invalid"],
      [unknown, "", "invalid"],
      [unknown, "Bearer", "invalid"],
      [undefined, `Bearer ${unknown}`, "invalid"],
      ["", `Bearer ${unknown}`, "invalid"],
      [undefined, "Basic abc", "invalid"],
      ["", "Basic abc", "invalid"],
      // Neither.
      [undefined, undefined, "invalid"],
      ["", undefined, "invalid"],
      [undefined, "", "invalid"],
      ["", "", "invalid"],
      ["  ", "Bearer ", "invalid"],
      // Both, the same key: as if sent once.
      [a.key, `Bearer ${a.key}`, a],
      [unknown, `Bearer ${unknown}`, "invalid"],
      // Both, different: refused, whichever is valid.
      [a.key, `Bearer ${b.key}`, "ambiguous"],
      [a.key, `Bearer ${unknown}`, "ambiguous"],
      [unknown, `Bearer ${a.key}`, "ambiguous"],
      ["x", `Bearer ${a.key}`, "ambiguous"],
      [a.key, "Basic abc", "ambiguous"],
      [a.key, `Bearer ${a.key} extra`, "ambiguous"],
      [unknown, `Bearer ${b.key}`, "ambiguous"],
    ];
    for (const [apiKey, authorization, expected] of cases) {
      const headers: Record<string, string> = {};
      if (apiKey !== undefined) headers["X-API-Key"] = apiKey;
      if (authorization !== undefined) headers.Authorization = authorization;
      const res = await api("/api/me", { headers });
      const body = (await res.json()) as Record<string, unknown>;
      const what = `X-API-Key ${JSON.stringify(apiKey)}, Authorization ${JSON.stringify(authorization)}`;
      if (typeof expected === "object") {
        expect(res.status, what).toBe(200);
        expect(body.keyId, what).toBe(expected.keyId);
      } else {
        expect(res.status, what).toBe(401);
        expect(body, what).toMatchObject({
          code: "UNAUTHORIZED",
          message: expected === "ambiguous" ? ambiguous : "A valid API key is required",
        });
      }
    }
  });

  it("refuses two different keys before reading KV", async () => {
    const a = await createTenant();
    let reads = 0;
    const countingKv = {
      get: (key: string, options: KVNamespaceGetOptions<"json">) => {
        reads++;
        return env.API_KEYS.get(key, options);
      },
    } as unknown as KVNamespace;
    const res = await createApp().fetch(
      new Request("http://localhost/api/me", {
        headers: { "X-API-Key": `cek_${"D".repeat(32)}`, Authorization: `Bearer ${a.key}` },
      }),
      { ...env, API_KEYS: countingKv },
      ctx,
    );
    expect(res.status).toBe(401);
    expect(reads).toBe(0);
  });

  it("answers missing, malformed, unknown, expired and disabled keys with the same 401 body", async () => {
    const expired = await createTenant({ expiresAt: new Date(Date.now() - 1000).toISOString() });
    const disabled = await createTenant({ disabled: true });
    const unknown = `cek_${"A".repeat(32)}`;
    const attempts: Record<string, string>[] = [
      {},
      { "X-API-Key": "" },
      { "X-API-Key": "not-a-key" },
      { Authorization: "Basic abc" },
      { Authorization: `Bearer ${unknown}` },
      { "X-API-Key": unknown },
      { "X-API-Key": expired.key },
      { "X-API-Key": disabled.key },
    ];
    const bodies = [];
    for (const headers of attempts) bodies.push(await unauthorizedBody(await api("/api/me", { headers })));
    expect(bodies[0]).toEqual({
      statusCode: 401,
      code: "UNAUTHORIZED",
      error: "UNAUTHORIZED",
      message: "A valid API key is required",
      path: "/api/me",
    });
    for (const body of bodies) expect(body).toEqual(bodies[0]);
  });

  it("accepts a key until its expiry", async () => {
    const t = await createTenant({ expiresAt: new Date(Date.now() + 60_000).toISOString() });
    expect((await api("/api/me", { key: t.key })).status).toBe(200);
  });

  it("stores only the SHA-256 of a key in KV: its record under the hash, the organization's index beside it", async () => {
    const t = await createTenant();
    const { keys } = await env.API_KEYS.list();
    const names = keys.map((k) => k.name);
    const entry = /^(apikey:[0-9a-f]{64}|org:[0-9a-f-]{36}:(key|used):[0-9a-f-]{36})$/;
    expect(names.filter((n) => !entry.test(n))).toEqual([]);
    for (const { name, metadata } of keys) {
      expect(await env.API_KEYS.get(name)).not.toContain(t.key);
      expect(JSON.stringify(metadata)).not.toContain(t.key);
    }
  });

  it("fails closed with 503 when KV cannot be read, and writes nothing", async () => {
    const t = await createTenant();
    const failingKv = {
      get: () => Promise.reject(new Error("KV GET failed: 503 Service Unavailable")),
    } as unknown as KVNamespace;
    const request = new Request("http://localhost/api/contact", {
      method: "POST",
      headers: { "X-API-Key": t.key, "Content-Type": "application/json" },
      body: JSON.stringify({ primaryPhone: freshPhone() }),
    });
    const res = await createApp().fetch(request, { ...env, API_KEYS: failingKv }, ctx);
    await assertDocumented(request, res);
    expect(res.status).toBe(503);
    expect(res.headers.get("Retry-After")).toBeTruthy();
    expect(await res.json()).toMatchObject({ code: "SERVICE_UNAVAILABLE" });
    const { results } = await env.DB.prepare("SELECT id FROM contacts WHERE organization_id = ?")
      .bind(t.organizationId)
      .all();
    expect(results).toHaveLength(0);
  });

  it("reads KV at most once per key while the isolate cache is fresh (and once an hour for lastUsedAt)", async () => {
    const t = await createTenant();
    const unknown = `cek_${"B".repeat(32)}`;
    let reads = 0;
    let lastUsedReads = 0;
    const countingKv = {
      get: (key: string, options: KVNamespaceGetOptions<"json">) => {
        if (key.startsWith("apikey:")) reads++;
        else lastUsedReads++;
        return env.API_KEYS.get(key, options);
      },
      put: (...args: Parameters<KVNamespace["put"]>) => env.API_KEYS.put(...args),
    } as unknown as KVNamespace;
    const app = createApp();
    for (let i = 0; i < 5; i++) {
      for (const key of [t.key, unknown]) {
        await app.fetch(
          new Request("http://localhost/api/me", { headers: { "X-API-Key": key } }),
          { ...env, API_KEYS: countingKv },
          ctx,
        );
      }
    }
    expect(reads).toBe(2);
    expect(lastUsedReads).toBeLessThanOrEqual(1);
  });

  it("never lets the body or query choose the organization", async () => {
    const a = await createTenant();
    const b = await createTenant();
    const res = await api(`/api/contact?organizationId=${b.organizationId}`, {
      method: "POST",
      key: a.key,
      json: { primaryPhone: freshPhone(), organizationId: b.organizationId },
    });
    expect(res.status).toBe(400);
    const ok = await api(`/api/contact?organizationId=${b.organizationId}`, {
      method: "POST",
      key: a.key,
      json: { primaryPhone: freshPhone() },
    });
    expect(((await ok.json()) as { organizationId: string }).organizationId).toBe(a.organizationId);
  });
});
