import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { ATTRIBUTE_LIMITS } from "../../src/schemas/contact-fields";
import { assertDocumented } from "../conformance";
import { api, createTenant, freshPhone, requestOf } from "../helpers";

// Regressions of the defects found by testing the service as a hostile client (issue 13), each
// named after the behaviour it holds. Items 7, 11 and 13 live in test/middleware/, 10 and 14 beside
// the code they fix.

interface Envelope {
  statusCode: number;
  code: string;
  fieldErrors?: Record<string, string[]>;
  fieldDetails?: Record<string, { code: string }[]>;
}
const envelope = async (res: Response) => (await res.json()) as Envelope;

describe("an oversized upsert is refused before any per-item work (1)", () => {
  it("answers one error on data for 1,001 items, however many of them are invalid", async () => {
    const t = await createTenant();
    const data = Array.from({ length: 1001 }, () => ({ primaryPhone: "nope", nickname: 1 }));
    const res = await api("/api/contact/upsert", { method: "POST", key: t.key, json: { data } });
    expect(res.status).toBe(400);
    const body = await envelope(res);
    expect(body.fieldDetails).toEqual({ data: [{ code: "arrayMaxSize" }] });
  });

  it("lists at most 100 field errors in one answer", async () => {
    const t = await createTenant();
    const data = Array.from({ length: 300 }, () => ({ primaryPhone: "+33612345678", nickname: 1 }));
    const res = await api("/api/contact/upsert", { method: "POST", key: t.key, json: { data } });
    expect(res.status).toBe(400);
    expect(Object.keys((await envelope(res)).fieldErrors ?? {})).toHaveLength(100);
  });
});

describe("merged customAttributes keep their limits on every path (2)", () => {
  const attributes = (from: number, count: number) =>
    Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${from + i}`, i]));

  it("PATCH: a merge past 100 keys is 400 tooManyAttributes on customAttributes, and nothing is written", async () => {
    const t = await createTenant();
    const created = await api("/api/contact", {
      method: "POST",
      key: t.key,
      json: { primaryPhone: freshPhone(), customAttributes: attributes(0, 60) },
    });
    const { id } = (await created.json()) as { id: string };
    const res = await api(`/api/contact/${id}`, {
      method: "PATCH",
      key: t.key,
      json: { customAttributes: attributes(60, 60) },
    });
    expect(res.status).toBe(400);
    expect((await envelope(res)).fieldDetails).toEqual({ customAttributes: [{ code: "tooManyAttributes" }] });
    const stored = await env.DB.prepare("SELECT custom_attributes FROM contacts WHERE id = ?").bind(id).first();
    expect(Object.keys(JSON.parse(stored?.custom_attributes as string))).toHaveLength(60);
  });

  it("upsert: a merge past 16 KB is 400 attributesTooLarge keyed by the item, and nothing is written", async () => {
    const t = await createTenant();
    const phone = freshPhone();
    const big = (prefix: string) =>
      Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`${prefix}${i}`, "x".repeat(1000)]));
    await api("/api/contact/upsert", {
      method: "POST",
      key: t.key,
      json: { data: [{ primaryPhone: phone, customAttributes: big("a") }] },
    });
    const res = await api("/api/contact/upsert", {
      method: "POST",
      key: t.key,
      json: { data: [{ primaryPhone: freshPhone() }, { primaryPhone: phone, customAttributes: big("b") }] },
    });
    expect(res.status).toBe(400);
    expect((await envelope(res)).fieldDetails).toEqual({ "data.1.customAttributes": [{ code: "attributesTooLarge" }] });
    const count = await env.DB.prepare("SELECT count(*) AS n FROM contacts WHERE organization_id = ?")
      .bind(t.organizationId)
      .first("n");
    expect(count).toBe(1);
  });

  it("upsert: a merge that ends within the limits is written", async () => {
    const t = await createTenant();
    const phone = freshPhone();
    const upsert = (customAttributes: object) =>
      api("/api/contact/upsert", {
        method: "POST",
        key: t.key,
        json: { data: [{ primaryPhone: phone, customAttributes }] },
      });
    expect((await upsert(attributes(0, ATTRIBUTE_LIMITS.keys))).status).toBe(200);
    // Removing one key and adding another stays at 100.
    expect((await upsert({ k0: null, extra: 1 })).status).toBe(200);
  });
});

describe("control characters in query parameters are refused, never a 503 (3)", () => {
  it.each(["ab%00c", "%00", "a%07b", "%7F"])("search=%s → 400 controlCharacter", async (value) => {
    const t = await createTenant();
    const res = await api(`/api/contact?search=${value}`, { key: t.key });
    expect(res.status).toBe(400);
    expect((await envelope(res)).fieldDetails).toEqual({ search: [{ code: "controlCharacter" }] });
  });
});

describe("what is echoed is what is stored (4)", () => {
  it("refuses a lone surrogate with a code of its own, and stores nothing", async () => {
    const t = await createTenant();
    const body = '{"primaryPhone":"+212600000017","firstName":"\\ud800x"}';
    expect(body).toContain("\\ud800");
    const res = await api("/api/contact", {
      method: "POST",
      key: t.key,
      body,
      headers: { "Content-Type": "application/json" },
    });
    expect(res.status).toBe(400);
    expect((await envelope(res)).fieldDetails).toEqual({ firstName: [{ code: "invalidUnicode" }] });
  });

  it("cuts a derived fullName at 64 characters, never inside one, and the answer equals the read", async () => {
    const t = await createTenant();
    const firstName = "😀".repeat(60);
    const res = await api("/api/contact", {
      method: "POST",
      key: t.key,
      json: { primaryPhone: freshPhone(), firstName, lastName: "Doeeeeeee" },
    });
    expect(res.status).toBe(201);
    const created = await res.text();
    const { id, fullName } = JSON.parse(created) as { id: string; fullName: string };
    expect([...fullName]).toHaveLength(64);
    expect(fullName.isWellFormed()).toBe(true);
    expect(await (await api(`/api/contact/${id}`, { key: t.key })).text()).toBe(created);
  });
});

describe("a trailing slash is 404, and a 405 never allows the method used (5)", () => {
  it.each([
    ["GET", "/api/me/"],
    ["POST", "/api/contact/upsert/"],
    ["GET", "/api/contact/"],
    ["GET", "/health/"],
  ])("%s %s → 404", async (method, path) => {
    const t = await createTenant();
    const res = await api(path, { method, key: t.key });
    expect(res.status).toBe(404);
    expect(res.headers.get("Allow")).toBeNull();
  });
});

describe("/api/contact/upsert is not captured by /api/contact/{id} (6)", () => {
  it.each(["GET", "PUT", "PATCH", "DELETE", "OPTIONS"])("%s /api/contact/upsert → 405 Allow: POST", async (method) => {
    const t = await createTenant();
    const res = await api("/api/contact/upsert", { method, key: t.key });
    expect(res.status).toBe(405);
    expect(res.headers.get("Allow")).toBe("POST");
  });

  it("a non-UUID id is still 400 on /api/contact/{id}", async () => {
    const t = await createTenant();
    expect((await api("/api/contact/not-a-uuid", { key: t.key })).status).toBe(400);
  });
});

describe("a nameless query parameter is refused like an unknown one (8)", () => {
  it.each(["?=false", "?page=1&=x", "?="])("GET /api/contact%s → 400", async (query) => {
    const t = await createTenant();
    const res = await api(`/api/contact${query}`, { key: t.key });
    expect(res.status).toBe(400);
    expect((await envelope(res)).fieldDetails).toEqual({ query: [{ code: "whitelistValidation" }] });
  });

  it("an empty pair (?&page=1) is not a parameter", async () => {
    const t = await createTenant();
    expect((await api("/api/contact?&page=1", { key: t.key })).status).toBe(200);
  });
});

describe("__proto__ in a webhook source's fieldMap is refused, naming the key (9)", () => {
  it("answers 400 reservedKey on fieldMap.__proto__ and creates nothing", async () => {
    const t = await createTenant();
    const res = await api("/api/webhook-sources", {
      method: "POST",
      key: t.key,
      body: '{"name":"P","provider":"json","fieldMap":{"__proto__":"primaryPhone","tel_x":"city"}}',
      headers: { "Content-Type": "application/json" },
    });
    expect(res.status).toBe(400);
    expect((await envelope(res)).fieldDetails).toEqual({ "fieldMap.__proto__": [{ code: "reservedKey" }] });
    const list = (await (await api("/api/webhook-sources", { key: t.key })).json()) as unknown[];
    expect(list).toHaveLength(0);
  });
});

describe("a webhook source's URL never trusts the Host header (12)", () => {
  const createSource = async (bindings: object) => {
    const t = await createTenant();
    const request = requestOf("/api/webhook-sources", {
      method: "POST",
      key: t.key,
      json: { name: "Site", provider: "json" },
      headers: { Host: "evil.example" },
    });
    const res = await createApp().request(request, undefined, { ...env, ...bindings });
    await assertDocumented(request, res.clone());
    expect(res.status).toBe(201);
    return (await res.json()) as { url: string; token: string };
  };

  it("uses PUBLIC_BASE_URL when it is set", async () => {
    const { url, token } = await createSource({ PUBLIC_BASE_URL: "https://contacts.example.com/" });
    expect(url).toBe(`https://contacts.example.com/hooks/${token}`);
  });

  it("else the request's URL, not a Host header that disagrees with it", async () => {
    const { url, token } = await createSource({});
    expect(url).toBe(`http://localhost/hooks/${token}`);
  });
});
