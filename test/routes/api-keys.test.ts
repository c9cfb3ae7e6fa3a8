import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { clearApiKeyCache } from "../../src/db/api-key-lookup";
import { indexKeyOf, kvKeyOf, mintApiKey, usedKeyOf } from "../../src/db/api-keys";
import { sha256Hex } from "../../src/lib/crypto";
import {
  clearKeyUseCache,
  indexUnindexedKeys,
  LAST_USED_RESOLUTION_MS,
  listApiKeys,
  recordKeyUse,
  revokeApiKey,
} from "../../src/services/api-keys";
import { buildRequest, fetchWith } from "../faults";
import { api, createTenant, type Tenant } from "../helpers";

const createKey = (t: Tenant, json: unknown) => api("/api/keys", { method: "POST", key: t.key, json });
const listKeys = async (t: Tenant) => {
  const res = await api("/api/keys", { key: t.key });
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: Record<string, unknown>[] }).data;
};
const revoke = (t: Tenant, keyId: string) => api(`/api/keys/${keyId}`, { method: "DELETE", key: t.key });
const codeOf = async (res: Response) => ((await res.json()) as { code: string }).code;

interface Created {
  key: string;
  keyId: string;
  organizationId: string;
}

async function created(res: Response): Promise<Created> {
  expect(res.status).toBe(201);
  return res.json();
}

/** Every entry of the test KV: name, value and metadata, as one string per entry. */
async function everythingInKv(): Promise<string[]> {
  const { keys } = await env.API_KEYS.list();
  return Promise.all(
    keys.map(async ({ name, metadata }) => `${name} ${await env.API_KEYS.get(name)} ${JSON.stringify(metadata)}`),
  );
}

/** The test KV, recording the names it is asked to write. */
function recordingKv() {
  const puts: string[] = [];
  const kv = new Proxy(env.API_KEYS, {
    get(target, prop) {
      const value = Reflect.get(target, prop);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (prop === "put") puts.push(args[0] as string);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { kv, puts };
}

beforeEach(() => {
  clearKeyUseCache();
});

describe("POST /api/keys", () => {
  it("makes a key of the caller's organization, shows it once and stores only its hash", async () => {
    const admin = await createTenant();
    const body = await created(await createKey(admin, { name: " crm sync ", role: "agent" }));
    expect(body).toEqual({
      key: expect.stringMatching(/^cek_[A-Za-z0-9_-]{32}$/),
      keyId: expect.any(String),
      organizationId: admin.organizationId,
      name: "crm sync",
      role: "agent",
      createdAt: expect.any(String),
      expiresAt: null,
    });
    const me = await api("/api/me", { key: body.key });
    expect(await me.json()).toMatchObject({ organizationId: admin.organizationId, keyId: body.keyId, role: "agent" });
    const stored = await env.API_KEYS.get(kvKeyOf(await sha256Hex(body.key)), "json");
    expect(stored).toMatchObject({ keyId: body.keyId, disabled: false });
    for (const entry of await everythingInKv()) expect(entry).not.toContain(body.key);
  });

  it("takes an expiry with an offset, stores it in UTC, and refuses one in the past", async () => {
    const admin = await createTenant();
    const body = await created(
      await createKey(admin, { name: "temp", role: "manager", expiresAt: "2999-01-31T12:00:00+02:00" }),
    );
    expect(body).toMatchObject({ role: "manager", expiresAt: "2999-01-31T10:00:00.000Z" });
    const past = await createKey(admin, { name: "temp", role: "manager", expiresAt: "2020-01-01T00:00:00Z" });
    expect(past.status).toBe(400);
    expect(((await past.json()) as { fieldDetails: unknown }).fieldDetails).toEqual({
      expiresAt: [{ code: "notInFuture" }],
    });
  });

  it("validates every field and names each failure", async () => {
    const admin = await createTenant();
    const res = await createKey(admin, { name: "", role: "owner", expiresAt: "tomorrow", organizationId: "x" });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { fieldDetails: unknown }).fieldDetails).toEqual({
      name: [{ code: "minLength" }],
      role: [{ code: "isIn" }],
      expiresAt: [{ code: "invalidFormat" }],
      organizationId: [{ code: "whitelistValidation" }],
    });
    expect(await codeOf(await createKey(admin, {}))).toBe("VALIDATION_FAILED");
  });
});

describe("roles", () => {
  it("only admin keys may make, list or revoke keys: manager and agent keys get 403", async () => {
    const admin = await createTenant();
    const other = await created(await createKey(admin, { name: "other", role: "agent" }));
    for (const role of ["manager", "agent"] as const) {
      const made = await created(await createKey(admin, { name: role, role }));
      const t: Tenant = { organizationId: admin.organizationId, key: made.key, keyId: made.keyId };
      for (const res of [await createKey(t, { name: "x", role: "admin" }), await api("/api/keys", { key: t.key })]) {
        expect(res.status).toBe(403);
        expect(await codeOf(res)).toBe("FORBIDDEN");
      }
      expect((await revoke(t, other.keyId)).status).toBe(403);
    }
    expect((await api("/api/me", { key: other.key })).status).toBe(200);
  });
});

describe("GET /api/keys", () => {
  it("lists the organization's keys, revoked ones too, newest first, never a key or its hash", async () => {
    const admin = await createTenant();
    const a = await created(await createKey(admin, { name: "a", role: "agent" }));
    const b = await created(await createKey(admin, { name: "b", role: "manager" }));
    expect((await revoke(admin, a.keyId)).status).toBe(200);
    const data = await listKeys(admin);
    expect(data.map((k) => k.keyId)).toEqual([b.keyId, a.keyId, admin.keyId]);
    expect(data[1]).toEqual({
      keyId: a.keyId,
      name: "a",
      role: "agent",
      createdAt: expect.any(String),
      expiresAt: null,
      disabled: true,
      lastUsedAt: null,
    });
    const listed = JSON.stringify(data);
    for (const key of [admin.key, a.key, b.key]) {
      expect(listed).not.toContain(key);
      expect(listed).not.toContain(await sha256Hex(key));
    }
  });

  it("shows no key of another organization", async () => {
    const a = await createTenant();
    const b = await createTenant();
    await created(await createKey(a, { name: "a's", role: "agent" }));
    expect((await listKeys(b)).map((k) => k.keyId)).toEqual([b.keyId]);
  });
});

describe("DELETE /api/keys/:keyId", () => {
  it("revokes: the key gets 401 at once in this isolate, stays listed as disabled, and a repeat answers the same", async () => {
    const admin = await createTenant();
    const made = await created(await createKey(admin, { name: "leaked", role: "agent" }));
    expect((await api("/api/me", { key: made.key })).status).toBe(200);
    const res = await revoke(admin, made.keyId);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ keyId: made.keyId, disabled: true });
    expect((await api("/api/me", { key: made.key })).status).toBe(401);
    // Past this isolate's cache too: the record in KV is disabled.
    clearApiKeyCache();
    expect((await api("/api/me", { key: made.key })).status).toBe(401);
    expect((await revoke(admin, made.keyId)).status).toBe(200);
  });

  it("refuses to revoke the key the request is made with: 409 KEY_IN_USE, and the key keeps working", async () => {
    const admin = await createTenant();
    const res = await revoke(admin, admin.keyId.toUpperCase());
    expect(res.status).toBe(409);
    expect(await codeOf(res)).toBe("KEY_IN_USE");
    expect((await api("/api/me", { key: admin.key })).status).toBe(200);
  });

  it("answers 404 for another organization's key, which keeps working, and for an unknown id; 400 for a non-UUID", async () => {
    const a = await createTenant();
    const b = await createTenant();
    const res = await revoke(b, a.keyId);
    expect(res.status).toBe(404);
    expect(await codeOf(res)).toBe("NOT_FOUND");
    clearApiKeyCache();
    expect((await api("/api/me", { key: a.key })).status).toBe(200);
    expect((await revoke(b, "0192f4e5-f0a1-7b2c-8d3e-4f5061728394")).status).toBe(404);
    expect((await revoke(b, "not-a-uuid")).status).toBe(400);
  });

  it("revokes a key whose record was never written (a creation cut short): only its index entry exists", async () => {
    const admin = await createTenant();
    const minted = await mintApiKey({ organizationId: admin.organizationId, name: "half", role: "agent" });
    await env.API_KEYS.put(indexKeyOf(admin.organizationId, minted.record.keyId), minted.hash, {
      metadata: { ...minted.record, organizationId: undefined },
    });
    expect((await revoke(admin, minted.record.keyId)).status).toBe(200);
    expect(await env.API_KEYS.get(minted.kvKey, "json")).toMatchObject({ disabled: true });
  });
});

describe("KV unavailable", () => {
  it("answers 503, not 500, when KV fails under the key routes", async () => {
    const admin = await createTenant();
    const failingWrites = new Proxy(env.API_KEYS, {
      get(target, prop) {
        const value = Reflect.get(target, prop);
        if (prop === "put" || prop === "list") return () => Promise.reject(new Error("KV PUT failed: 503"));
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    for (const request of [
      buildRequest("/api/keys", { key: admin.key, json: { name: "x", role: "agent" } }),
      buildRequest("/api/keys", { method: "GET", key: admin.key }),
    ]) {
      const res = await fetchWith({ API_KEYS: failingWrites }, request);
      expect(res.status).toBe(503);
    }
  });
});

describe("lastUsedAt", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("is null until the key is used, then set by its first request after the answer (waitUntil)", async () => {
    const admin = await createTenant();
    const made = await created(await createKey(admin, { name: "used", role: "agent" }));
    const before = Date.now();
    const listedBefore = (await listKeys(admin)).find((k) => k.keyId === made.keyId);
    expect(listedBefore?.lastUsedAt).toBeNull();
    await fetchWith({}, buildRequest("/api/me", { method: "GET", key: made.key }));
    const used = (await listKeys(admin)).find((k) => k.keyId === made.keyId);
    expect(Date.parse(used?.lastUsedAt as string)).toBeGreaterThanOrEqual(before - 1000);
  });

  it("is written at most once an hour per key: later requests of the hour write nothing", async () => {
    const admin = await createTenant();
    const { kv, puts } = recordingKv();
    for (let i = 0; i < 5; i++) {
      const res = await fetchWith({ API_KEYS: kv }, buildRequest("/api/me", { method: "GET", key: admin.key }));
      expect(res.status).toBe(200);
    }
    expect(puts).toEqual([usedKeyOf(admin.organizationId, admin.keyId)]);
  });

  it("an hour later it is written again; an isolate that finds it fresh in KV does not write it", async () => {
    const admin = await createTenant();
    const record = { ...(await mintApiKey({ organizationId: admin.organizationId, name: "k", role: "agent" })).record };
    const { kv, puts } = recordingKv();
    const t0 = Date.parse("2026-06-01T10:00:00.000Z");
    await recordKeyUse(kv, record, t0);
    expect(recordKeyUse(kv, record, t0 + 59 * 60_000)).toBeUndefined();
    // Another isolate (a fresh cache) 10 minutes later: one read, no write.
    clearKeyUseCache();
    await recordKeyUse(kv, record, t0 + 10 * 60_000);
    expect(puts).toHaveLength(1);
    await recordKeyUse(kv, record, t0 + LAST_USED_RESOLUTION_MS + 1);
    expect(puts).toHaveLength(2);
    const listed = await listApiKeys(kv, admin.organizationId);
    expect(listed.find((k) => k.keyId === admin.keyId)).toBeDefined();
  });

  it("recording a use from a stale, still-enabled record never undoes a revocation", async () => {
    const admin = await createTenant();
    const made = await created(await createKey(admin, { name: "stale", role: "agent" }));
    const hash = await sha256Hex(made.key);
    const stale = await env.API_KEYS.get(kvKeyOf(hash), "json");
    expect(await revokeApiKey(env.API_KEYS, admin.organizationId, made.keyId)).not.toBeNull();
    await recordKeyUse(env.API_KEYS, stale as Parameters<typeof recordKeyUse>[1]);
    expect(await env.API_KEYS.get(kvKeyOf(hash), "json")).toMatchObject({ disabled: true });
  });
});

describe("keys made before the index existed", () => {
  it("are indexed by indexUnindexedKeys, once: a second run writes nothing", async () => {
    const admin = await createTenant();
    const minted = await mintApiKey({ organizationId: admin.organizationId, name: "old cli key", role: "manager" });
    // The key CLI's former layout: the record, its ids as metadata, no index entry.
    await env.API_KEYS.put(minted.kvKey, JSON.stringify(minted.record), {
      metadata: { keyId: minted.record.keyId, organizationId: admin.organizationId },
    });
    expect((await listKeys(admin)).map((k) => k.keyId)).not.toContain(minted.record.keyId);
    const entries = await indexUnindexedKeys(env.API_KEYS);
    expect(entries.map((e) => e.name)).toContain(minted.kvKey);
    expect((await listKeys(admin)).map((k) => k.keyId)).toContain(minted.record.keyId);
    const { kv, puts } = recordingKv();
    await indexUnindexedKeys(kv);
    expect(puts).toEqual([]);
  });
});
