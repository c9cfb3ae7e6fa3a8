import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import { assertDocumented } from "./conformance";
import { api, createTenant, freshPhone } from "./helpers";

type Envelope = Record<string, unknown>;

function expectEnvelope(body: Envelope, status: number, code: string, path: string) {
  expect(body).toMatchObject({ statusCode: status, code, path, requestId: expect.any(String) });
  expect(typeof body.error).toBe("string");
  expect(typeof body.message).toBe("string");
  expect(body.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
}

describe("one error envelope from every layer", () => {
  it("unknown route → 404 NOT_FOUND", async () => {
    const res = await api("/nope");
    expect(res.status).toBe(404);
    expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
    expectEnvelope(await res.json(), 404, "NOT_FOUND", "/nope");
  });

  it("wrong method → 405 METHOD_NOT_ALLOWED with Allow", async () => {
    const res = await api("/health", { method: "DELETE" });
    expect(res.status).toBe(405);
    expect(res.headers.get("Allow")).toBe("GET");
    expectEnvelope(await res.json(), 405, "METHOD_NOT_ALLOWED", "/health");
    const t = await createTenant();
    // GET /api/contact/upsert is a read of the contact "upsert" (400: not a UUID), so another path shows it.
    const collection = await api("/api/contact", { method: "DELETE", key: t.key });
    expect(collection.status).toBe(405);
    expect(collection.headers.get("Allow")).toBe("POST, GET");
    const contact = await api("/api/contact/0190f2a8-1234-7abc-8def-0123456789ab", { method: "POST", key: t.key });
    expect(contact.status).toBe(405);
    expect(contact.headers.get("Allow")).toBe("GET, PUT, PATCH, DELETE");
  });

  it("another media type → 415 UNSUPPORTED_MEDIA_TYPE", async () => {
    const t = await createTenant();
    const res = await api("/api/contact", {
      method: "POST",
      key: t.key,
      body: `primaryPhone=${encodeURIComponent(freshPhone())}`,
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(res.status).toBe(415);
    expectEnvelope(await res.json(), 415, "UNSUPPORTED_MEDIA_TYPE", "/api/contact");
    const none = await api("/api/contact", { method: "POST", key: t.key, body: "{}" });
    expect(none.status).toBe(415);
  });

  it.each([
    ["malformed JSON", new TextEncoder().encode('{"primaryPhone": ')],
    ["an empty body", new Uint8Array(0)],
    ["bytes that are not UTF-8", new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])],
  ])("%s → 400 INVALID_JSON", async (_, bytes) => {
    const t = await createTenant();
    const res = await api("/api/contact", {
      method: "POST",
      key: t.key,
      body: bytes,
      headers: { "Content-Type": "application/json" },
    });
    expect(res.status).toBe(400);
    expectEnvelope(await res.json(), 400, "INVALID_JSON", "/api/contact");
  });

  it("a JSON body that is not an object → 400 VALIDATION_FAILED", async () => {
    const t = await createTenant();
    const res = await api("/api/contact", { method: "POST", key: t.key, json: [1, 2] });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      code: "VALIDATION_FAILED",
      fieldErrors: { body: ["body must be an object"] },
    });
  });

  it("a body over 64 KB → 413, by Content-Length", async () => {
    const t = await createTenant();
    const res = await api("/api/contact", {
      method: "POST",
      key: t.key,
      json: { primaryPhone: freshPhone(), address: "x".repeat(70 * 1024) },
    });
    expect(res.status).toBe(413);
    expectEnvelope(await res.json(), 413, "PAYLOAD_TOO_LARGE", "/api/contact");
  });

  it("a body over 64 KB → 413, also when it arrives without a Content-Length", async () => {
    const t = await createTenant();
    const chunk = new TextEncoder().encode("x".repeat(16 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 6) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const request = new Request("http://localhost/api/contact", {
      method: "POST",
      headers: { "X-API-Key": t.key, "Content-Type": "application/json" },
      body: stream,
    });
    const res = await exports.default.fetch(request);
    await assertDocumented(request, res);
    expect(res.status).toBe(413);
    expect(sent).toBeLessThan(7); // it stopped reading past the limit
  });

  it("an internal failure → 500 INTERNAL_ERROR with no stack, message or value", async () => {
    const app = createApp();
    app.get("/boom", () => {
      throw new Error("SELECT * FROM contacts WHERE primary_phone = '+33612345678'");
    });
    const res = await app.request("/boom");
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toMatch(/SELECT|33612345678|at .*\.ts/);
    expectEnvelope(JSON.parse(text), 500, "INTERNAL_ERROR", "/boom");
  });
});

describe("X-Request-Id", () => {
  it("echoes a sane incoming id (hono/request-id: 1–255 of A-Za-z0-9_-=), on success and on error", async () => {
    for (const path of ["/health", "/nope"]) {
      const res = await api(path, { headers: { "X-Request-Id": "trace-42_a=b" } });
      expect(res.headers.get("X-Request-Id")).toBe("trace-42_a=b");
    }
    const err = await api("/nope", { headers: { "X-Request-Id": "trace-42" } });
    expect(((await err.json()) as Envelope).requestId).toBe("trace-42");
  });

  it("generates one when none or an unsafe one is sent", async () => {
    const none = await api("/health");
    expect(none.headers.get("X-Request-Id")).toMatch(/^[0-9a-f-]{36}$/);
    for (const unsafe of ["<script>", "a.b:c", "x".repeat(256)]) {
      const res = await api("/health", { headers: { "X-Request-Id": unsafe } });
      expect(res.headers.get("X-Request-Id")).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});

describe("GET /health", () => {
  it("answers without a key", async () => {
    const res = await api("/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });
});
