import { beforeAll, describe, expect, it } from "vitest";
import { api, createTenant, freshPhone, REFERENCE_EXAMPLE, type Tenant } from "../helpers";

// Each answer below goes through `api()`, which fails the test unless the OpenAPI document
// describes it exactly: so each case proves one documented response real.

let tenant: Tenant;
beforeAll(async () => {
  tenant = await createTenant();
});

describe("today's routes answer as documented", () => {
  it("GET /health, /openapi.json and /docs, without a key", async () => {
    expect((await api("/health")).status).toBe(200);
    expect((await api("/openapi.json")).status).toBe(200);
    expect((await api("/docs")).status).toBe(200);
  });

  it("GET /api/me: 200 with a key, 401 without", async () => {
    expect((await api("/api/me", { key: tenant.key })).status).toBe(200);
    expect((await api("/api/me")).status).toBe(401);
  });

  it("POST /api/contact: 201, 409, 400 (both codes), 401, 413, 415", async () => {
    expect((await api("/api/contact", { method: "POST", key: tenant.key, json: REFERENCE_EXAMPLE })).status).toBe(201);
    const again = await api("/api/contact", { method: "POST", key: tenant.key, json: REFERENCE_EXAMPLE });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: "CONTACT_EXISTS", existingId: expect.any(String) });

    const invalid = await api("/api/contact", {
      method: "POST",
      key: tenant.key,
      json: { primaryPhone: "nope", nickname: "x" },
    });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ code: "VALIDATION_FAILED" });
    const notJson = await api("/api/contact", {
      method: "POST",
      key: tenant.key,
      body: "{",
      headers: { "Content-Type": "application/json" },
    });
    expect(await notJson.json()).toMatchObject({ code: "INVALID_JSON" });

    expect((await api("/api/contact", { method: "POST", json: { primaryPhone: freshPhone() } })).status).toBe(401);
    const big = { primaryPhone: freshPhone(), address: "x".repeat(70 * 1024) };
    expect((await api("/api/contact", { method: "POST", key: tenant.key, json: big })).status).toBe(413);
    const form = await api("/api/contact", {
      method: "POST",
      key: tenant.key,
      body: "primaryPhone=1",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(form.status).toBe(415);
  });

  it("an unknown path is 404 and a known path with another method is 405, both in the envelope", async () => {
    expect((await api("/nowhere")).status).toBe(404);
    expect((await api("/health", { method: "DELETE" })).status).toBe(405);
    expect((await api("/api/me", { method: "POST", key: tenant.key })).status).toBe(405);
  });
});
