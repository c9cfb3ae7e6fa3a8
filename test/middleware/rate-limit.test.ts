import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { mintApiKey } from "../../src/db/api-keys";
import { getDb } from "../../src/db/client";
import { contacts, idempotencyKeys } from "../../src/db/schema";
import { buildRequest, fakeRateLimiter, fetchWith } from "../faults";
import { createTenant, freshPhone } from "../helpers";

const db = getDb(env.DB);

describe("per-key rate limit", () => {
  it("answers 429 RATE_LIMITED with Retry-After, RateLimit-Policy and RateLimit when the limiter refuses", async () => {
    const tenant = await createTenant();
    const { limiter } = fakeRateLimiter(false);
    const res = await fetchWith({ RATE_LIMITER: limiter }, buildRequest("/api/me", { method: "GET", key: tenant.key }));
    expect(res.status).toBe(429);
    expect(res.headers.get("Retry-After")).toBe("60");
    expect(res.headers.get("RateLimit-Policy")).toBe('"per-key";q=600;w=60');
    expect(res.headers.get("RateLimit")).toBe('"per-key";r=0;t=60');
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect(await res.json()).toMatchObject({ statusCode: 429, code: "RATE_LIMITED", error: "TOO_MANY_REQUESTS" });
  });

  it("a 429 has done nothing: no contact, no idempotency record, body never read", async () => {
    const tenant = await createTenant();
    const phone = freshPhone();
    const { limiter } = fakeRateLimiter(false);
    const res = await fetchWith(
      { RATE_LIMITER: limiter },
      buildRequest("/api/contact", {
        key: tenant.key,
        json: { primaryPhone: phone },
        headers: { "Idempotency-Key": "limited" },
      }),
    );
    expect(res.status).toBe(429);
    const rows = await db
      .select()
      .from(contacts)
      .where(and(eq(contacts.organizationId, tenant.organizationId), eq(contacts.primaryPhone, phone)));
    expect(rows).toEqual([]);
    expect(await db.$count(idempotencyKeys, eq(idempotencyKeys.organizationId, tenant.organizationId))).toBe(0);
  });

  it("counts per API key id, so each key of an organization has its own budget", async () => {
    const tenant = await createTenant();
    const second = await mintApiKey({ organizationId: tenant.organizationId, name: "second", role: "agent" });
    await env.API_KEYS.put(second.kvKey, JSON.stringify(second.record));
    const { limiter, keys } = fakeRateLimiter(true);
    await fetchWith({ RATE_LIMITER: limiter }, buildRequest("/api/me", { method: "GET", key: tenant.key }));
    await fetchWith({ RATE_LIMITER: limiter }, buildRequest("/api/me", { method: "GET", key: second.key }));
    expect(keys).toEqual([tenant.keyId, second.record.keyId]);
  });

  it("lets an allowed request through with its RateLimit-Policy", async () => {
    const tenant = await createTenant();
    const { limiter } = fakeRateLimiter(true);
    const res = await fetchWith(
      { RATE_LIMITER: limiter },
      buildRequest("/api/contact", { key: tenant.key, json: { primaryPhone: freshPhone() } }),
    );
    expect(res.status).toBe(201);
    expect(res.headers.get("RateLimit-Policy")).toBe('"per-key";q=600;w=60');
    expect(res.headers.get("RateLimit")).toBeNull();
  });

  it("advertises the limits configured in wrangler.toml vars", async () => {
    const tenant = await createTenant();
    const { limiter } = fakeRateLimiter(false);
    const res = await fetchWith(
      { RATE_LIMITER: limiter, RATE_LIMIT_REQUESTS: "50" as "600", RATE_LIMIT_PERIOD_SECONDS: "10" as "60" },
      buildRequest("/api/me", { method: "GET", key: tenant.key }),
    );
    expect(res.headers.get("RateLimit-Policy")).toBe('"per-key";q=50;w=10');
    expect(res.headers.get("Retry-After")).toBe("10");
  });

  it("checks the key first: a request without a valid key never reaches the limiter", async () => {
    const { limiter, keys } = fakeRateLimiter(false);
    const res = await fetchWith({ RATE_LIMITER: limiter }, buildRequest("/api/me", { method: "GET" }));
    expect(res.status).toBe(401);
    expect(keys).toEqual([]);
  });

  it("fails open when the limiter itself fails: the request is served", async () => {
    const tenant = await createTenant();
    const { limiter } = fakeRateLimiter(() => Promise.reject(new Error("rate limiter unavailable")));
    const res = await fetchWith(
      { RATE_LIMITER: limiter },
      buildRequest("/api/contact", { key: tenant.key, json: { primaryPhone: freshPhone() } }),
    );
    expect(res.status).toBe(201);
  });

  it("uses the real binding by default (local emulation lets a first request through)", async () => {
    const tenant = await createTenant();
    const res = await fetchWith({}, buildRequest("/api/me", { method: "GET", key: tenant.key }));
    expect(res.status).toBe(200);
    expect(res.headers.get("RateLimit-Policy")).toBe('"per-key";q=600;w=60');
  });
});
