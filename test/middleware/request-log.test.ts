import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from "vitest";
import { SUCCESS_SAMPLE_RATE } from "../../src/middleware/request-log";
import { buildRequest, faultyD1, fetchWith } from "../faults";
import { createTenant, type Tenant } from "../helpers";

const PHONE = "+33612345670";
const NATIONAL = "06 12 34 56 70";
const EMAIL = "secret.person@example.com";

let tenant: Tenant;
let out: MockInstance<typeof console.log>;
let err: MockInstance<typeof console.error>;

beforeEach(async () => {
  tenant = await createTenant();
  out = vi.spyOn(console, "log").mockImplementation(() => {});
  err = vi.spyOn(console, "error").mockImplementation(() => {});
});
afterEach(() => {
  vi.restoreAllMocks();
});

const logged = () => [...out.mock.calls, ...err.mock.calls].map((args) => args.map(String).join(" "));

/** Every line is one JSON object, and none holds a phone, an e-mail or SQL. */
function expectCleanLines() {
  const lines = logged();
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) {
    expect(() => JSON.parse(line)).not.toThrow();
    expect(line).not.toContain("612345670");
    expect(line).not.toContain("12 34 56 70");
    expect(line).not.toMatch(/secret|example\.com/i);
    expect(line).not.toMatch(/\b(insert|select|update|delete)\b|contacts|primary_phone/i);
  }
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

const requestLines = (lines: Record<string, unknown>[]) => lines.filter((l) => "status" in l && "route" in l);

/** The draw that decides whether a successful request's line is written: below the rate, it is. */
const drawing = (value: number) => vi.spyOn(Math, "random").mockReturnValue(value);

describe("request logs", () => {
  it("a sampled successful request: one JSON line with request id, organization, route, status, duration and sampleRate; no personal data", async () => {
    drawing(0);
    const res = await fetchWith(
      {},
      buildRequest("/api/contact", {
        key: tenant.key,
        json: { primaryPhone: PHONE, primaryEmail: EMAIL, firstName: "Secret" },
        headers: { "X-Request-Id": "req-create-1" },
      }),
    );
    expect(res.status).toBe(201);
    const [line] = requestLines(expectCleanLines());
    expect(line).toMatchObject({
      level: "info",
      requestId: "req-create-1",
      organizationId: tenant.organizationId,
      method: "POST",
      route: "/api/contact",
      status: 201,
      sampleRate: SUCCESS_SAMPLE_RATE,
    });
    expect(typeof line?.durationMs).toBe("number");
  });

  it("a successful request outside the sample writes no line", async () => {
    drawing(SUCCESS_SAMPLE_RATE);
    const res = await fetchWith({}, buildRequest("/api/contact", { key: tenant.key, json: { primaryPhone: PHONE } }));
    expect(res.status).toBe(201);
    expect(logged()).toEqual([]);
  });

  it("every refused request is written, whatever the draw, with sampleRate 1", async () => {
    drawing(0.999);
    for (const [request, status] of [
      [buildRequest("/api/contact", { key: tenant.key, json: { primaryPhone: 1 } }), 400],
      [buildRequest("/api/contact", { json: {} }), 401],
      [buildRequest("/api/nowhere", { method: "GET", key: tenant.key }), 404],
    ] as const) {
      out.mockClear();
      expect((await fetchWith({}, request)).status).toBe(status);
      expect(requestLines(expectCleanLines())).toEqual([expect.objectContaining({ status, sampleRate: 1 })]);
    }
  });

  it("a validation failure logs no submitted value", async () => {
    const res = await fetchWith(
      {},
      buildRequest("/api/contact", {
        key: tenant.key,
        json: { primaryPhone: NATIONAL, primaryEmail: `${EMAIL}@@`, nickname: EMAIL },
      }),
    );
    expect(res.status).toBe(400);
    const [line] = requestLines(expectCleanLines());
    expect(line?.sampleRate).toBe(1);
    expect(line).toMatchObject({ status: 400, organizationId: tenant.organizationId });
  });

  it("a 500 is written whatever the draw, and logs the error's name only, never its message", async () => {
    drawing(0.999);
    const DB = faultyD1({
      failBatch: true,
      error: () => new Error(`insert into contacts (primary_phone) values ('${PHONE}', '${EMAIL}')`),
    });
    const res = await fetchWith(
      {},
      buildRequest("/api/contact", { key: tenant.key, json: { primaryPhone: PHONE, primaryEmail: EMAIL } }),
    );
    expect(res.status).toBe(201);
    out.mockClear();
    err.mockClear();
    const failed = await fetchWith(
      { DB },
      buildRequest("/api/contact", {
        key: tenant.key,
        json: { primaryPhone: "+33612345671", primaryEmail: EMAIL },
        headers: { "Idempotency-Key": "log-500" },
      }),
    );
    expect(failed.status).toBe(500);
    const lines = expectCleanLines();
    expect(lines).toContainEqual(expect.objectContaining({ level: "error", error: "Error" }));
    expect(requestLines(lines)).toEqual([expect.objectContaining({ status: 500, sampleRate: 1 })]);
  });
});

describe("headers on every response", () => {
  const cases: [string, () => Promise<Request>, number][] = [
    ["201", async () => buildRequest("/api/contact", { key: tenant.key, json: { primaryPhone: "+33612345672" } }), 201],
    ["400", async () => buildRequest("/api/contact", { key: tenant.key, json: { primaryPhone: 1 } }), 400],
    ["401", async () => buildRequest("/api/contact", { json: {} }), 401],
    ["404", async () => buildRequest("/api/nowhere", { method: "GET", key: tenant.key }), 404],
    ["405", async () => buildRequest("/api/contact", { method: "DELETE", key: tenant.key }), 405],
    ["413", async () => buildRequest("/api/contact", { key: tenant.key, json: { pad: "x".repeat(65 * 1024) } }), 413],
    ["415", async () => buildRequest("/api/contact", { key: tenant.key, body: "a=b" }), 415],
    ["200 /health", async () => buildRequest("/health", { method: "GET" }), 200],
  ];
  it.each(cases)(
    "%s carries Cache-Control: no-store and X-Content-Type-Options: nosniff",
    async (_, request, status) => {
      const res = await fetchWith({}, await request());
      expect(res.status).toBe(status);
      expect(res.headers.get("Cache-Control")).toBe("no-store");
      expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
      expect(res.headers.get("X-Request-Id")).toBeTruthy();
    },
  );

  it("so do a 500 and a 503", async () => {
    for (const [error, status] of [
      [() => new TypeError("bug"), 500],
      [() => new Error("D1_ERROR: overloaded"), 503],
    ] as const) {
      const res = await fetchWith(
        { DB: faultyD1({ failBatch: true, error }) },
        buildRequest("/api/contact", {
          key: tenant.key,
          json: { primaryPhone: `+3361234${status}0` },
          headers: { "Idempotency-Key": `h-${status}` },
        }),
      );
      expect(res.status).toBe(status);
      expect(res.headers.get("Cache-Control")).toBe("no-store");
      expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    }
  });
});
