import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "../../src/db/client";
import { contacts, webhookDeliveries } from "../../src/db/schema";
import { countingD1 } from "../counting-d1";
import { buildRequest, countingKv, countingRateLimiter, fakeRateLimiter, fetchWith } from "../faults";
import { createTenant, freshPhone } from "../helpers";
import { createSource } from "../webhook-helpers";

const db = getDb(env.DB);
const UNKNOWN_KEY = `cek_${"U".repeat(32)}`;

/** `GET /api/me` from `address`, with these auth headers. */
const me = (address: string, headers: Record<string, string> = {}) =>
  buildRequest("/api/me", { method: "GET", headers: { ...headers, "CF-Connecting-IP": address } });

function expectPerIp429(res: Response, message: string) {
  expect(res.status).toBe(429);
  expect(res.headers.get("Retry-After")).toBe("60");
  expect(res.headers.get("RateLimit-Policy")).toBe('"per-ip";q=300;w=60');
  expect(res.headers.get("RateLimit")).toBe('"per-ip";r=0;t=60');
  return expect(res.json()).resolves.toMatchObject({ statusCode: 429, code: "RATE_LIMITED", message });
}

const TOO_MANY_FAILURES = "Too many failed authentications from this address, retry later";
const TOO_MANY_DELIVERIES = "Too many deliveries from this address, retry later";

describe("per-address limit on failed authentications", () => {
  it("counts every failed authentication against its address and answers 429 once the address is over", async () => {
    const tenant = await createTenant();
    const { limiter, keys } = countingRateLimiter(3);
    const overrides = { IP_RATE_LIMITER: limiter };
    const failures: Record<string, string>[] = [
      { "X-API-Key": UNKNOWN_KEY },
      {},
      { "X-API-Key": tenant.key, Authorization: `Bearer ${UNKNOWN_KEY}` },
    ];
    for (const headers of failures) expect((await fetchWith(overrides, me("203.0.113.1", headers))).status).toBe(401);
    await expectPerIp429(await fetchWith(overrides, me("203.0.113.1", { "X-API-Key": "x" })), TOO_MANY_FAILURES);
    expect(keys).toEqual(Array(4).fill("auth:203.0.113.1"));
    // Another address has its own count.
    expect((await fetchWith(overrides, me("203.0.113.2", { "X-API-Key": UNKNOWN_KEY }))).status).toBe(401);
  });

  it("never counts a valid key, and a key this isolate holds as valid keeps working from an address over its limit", async () => {
    const tenant = await createTenant();
    const { limiter, keys } = countingRateLimiter(1);
    const overrides = { IP_RATE_LIMITER: limiter };
    const valid = { "X-API-Key": tenant.key };
    expect((await fetchWith(overrides, me("203.0.113.3", valid))).status).toBe(200);
    expect(keys).toEqual([]);
    expect((await fetchWith(overrides, me("203.0.113.3", { "X-API-Key": UNKNOWN_KEY }))).status).toBe(401);
    expect((await fetchWith(overrides, me("203.0.113.3"))).status).toBe(429);
    expect((await fetchWith(overrides, me("203.0.113.3", valid))).status).toBe(200);
    expect(keys).toEqual(["auth:203.0.113.3", "auth:203.0.113.3"]);
  });

  it("refuses an address over its limit before any KV read, even with a valid key not yet seen, and the 429 did nothing", async () => {
    const tenant = await createTenant();
    const { limiter, keys } = fakeRateLimiter(false);
    const { kv, counter } = countingKv();
    const overrides = { IP_RATE_LIMITER: limiter, API_KEYS: kv };
    await expectPerIp429(await fetchWith(overrides, me("203.0.113.4")), TOO_MANY_FAILURES);
    const phone = freshPhone();
    const create = buildRequest("/api/contact", {
      key: tenant.key,
      json: { primaryPhone: phone },
      headers: { "CF-Connecting-IP": "203.0.113.4" },
    });
    await expectPerIp429(await fetchWith(overrides, create), TOO_MANY_FAILURES);
    await expectPerIp429(
      await fetchWith(overrides, me("203.0.113.4", { "X-API-Key": UNKNOWN_KEY })),
      TOO_MANY_FAILURES,
    );
    expect(counter.reads).toBe(0);
    // The limiter was asked once: this isolate remembers the address is over for the window.
    expect(keys).toEqual(["auth:203.0.113.4"]);
    const rows = await db
      .select()
      .from(contacts)
      .where(and(eq(contacts.organizationId, tenant.organizationId), eq(contacts.primaryPhone, phone)));
    expect(rows).toEqual([]);
  });

  it("counts an IPv6 address by its /64", async () => {
    const { limiter, keys } = countingRateLimiter(1);
    const overrides = { IP_RATE_LIMITER: limiter };
    expect((await fetchWith(overrides, me("2001:db8:0:1::1"))).status).toBe(401);
    expect((await fetchWith(overrides, me("2001:db8:0:1:ffff::2"))).status).toBe(429);
    expect(keys).toEqual(["auth:2001:db8:0:1::/64", "auth:2001:db8:0:1::/64"]);
  });

  it("does not count a request without CF-Connecting-IP (it did not come through the edge)", async () => {
    const { limiter, keys } = fakeRateLimiter(false);
    const res = await fetchWith({ IP_RATE_LIMITER: limiter }, buildRequest("/api/me", { method: "GET" }));
    expect(res.status).toBe(401);
    expect(keys).toEqual([]);
  });

  it("fails open: a 401 when the limiter itself fails", async () => {
    const { limiter } = fakeRateLimiter(() => Promise.reject(new Error("rate limiter unavailable")));
    expect((await fetchWith({ IP_RATE_LIMITER: limiter }, me("203.0.113.5"))).status).toBe(401);
  });

  it("uses the real binding by default (local emulation lets a first failure through as a 401)", async () => {
    expect((await fetchWith({}, me("203.0.113.6", { "X-API-Key": UNKNOWN_KEY }))).status).toBe(401);
  });
});

describe("per-address limit on /hooks deliveries", () => {
  const deliveryFrom = (address: string, path: string) =>
    buildRequest(path, {
      body: JSON.stringify({ phone: freshPhone() }),
      headers: { "Content-Type": "application/json", "CF-Connecting-IP": address },
    });

  it("counts every delivery against its address, and answers 429 once the address is over", async () => {
    const tenant = await createTenant();
    const source = await createSource(tenant.key, { name: "Site", provider: "json" });
    const { limiter, keys } = countingRateLimiter(2);
    const overrides = { IP_RATE_LIMITER: limiter };
    for (let i = 0; i < 2; i++) {
      const res = await fetchWith(overrides, deliveryFrom("198.51.100.1", source.path));
      expect(res.status).toBe(200);
      expect(res.headers.get("RateLimit-Policy")).toBe('"per-ip";q=300;w=60');
    }
    await expectPerIp429(await fetchWith(overrides, deliveryFrom("198.51.100.1", source.path)), TOO_MANY_DELIVERIES);
    expect(keys).toEqual(Array(3).fill("hooks:198.51.100.1"));
    // Unknown tokens count too; failed authentications under /api are counted apart.
    const unknownToken = `/hooks/whk_${"Z".repeat(32)}`;
    expect((await fetchWith(overrides, deliveryFrom("198.51.100.2", unknownToken))).status).toBe(404);
    expect((await fetchWith(overrides, me("198.51.100.1"))).status).toBe(401);
    expect(keys.slice(3)).toEqual(["hooks:198.51.100.2", "auth:198.51.100.1"]);
  });

  it("a 429 did nothing: no token lookup, no delivery logged, no contact", async () => {
    const tenant = await createTenant();
    const source = await createSource(tenant.key, { name: "Site", provider: "json" });
    const { limiter } = fakeRateLimiter(false);
    const d1 = countingD1(env.DB);
    const res = await fetchWith({ IP_RATE_LIMITER: limiter, DB: d1.db }, deliveryFrom("198.51.100.3", source.path));
    await expectPerIp429(res, TOO_MANY_DELIVERIES);
    expect(d1.statements).toEqual([]);
    expect(await db.$count(webhookDeliveries, eq(webhookDeliveries.sourceId, source.id))).toBe(0);
    expect(await db.$count(contacts, eq(contacts.organizationId, tenant.organizationId))).toBe(0);
  });

  it("fails open: the delivery is served when the limiter itself fails", async () => {
    const tenant = await createTenant();
    const source = await createSource(tenant.key, { name: "Site", provider: "json" });
    const { limiter } = fakeRateLimiter(() => Promise.reject(new Error("rate limiter unavailable")));
    expect((await fetchWith({ IP_RATE_LIMITER: limiter }, deliveryFrom("198.51.100.4", source.path))).status).toBe(200);
  });

  it("uses the real binding by default (local emulation lets a first delivery through)", async () => {
    const tenant = await createTenant();
    const source = await createSource(tenant.key, { name: "Site", provider: "json" });
    const res = await fetchWith({}, deliveryFrom("198.51.100.5", source.path));
    expect(res.status).toBe(200);
    expect(res.headers.get("RateLimit-Policy")).toBe('"per-ip";q=300;w=60');
  });
});
