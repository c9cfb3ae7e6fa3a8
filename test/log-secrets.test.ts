import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from "vitest";
import { sha256Hex } from "../src/lib/crypto";
import { buildRequest, faultyD1, fetchWith } from "./faults";
import { createTenant } from "./helpers";

// Workers Logs keep what the Worker prints (wrangler.toml turns Cloudflare's own invocation logs off,
// docs/deploy.md#logs-and-traces): every line of a whole request cycle is checked here.

const spies: MockInstance[] = [];
beforeEach(() => {
  // Every successful request's line drawn into the sample (src/middleware/request-log.ts): all are checked.
  vi.spyOn(Math, "random").mockReturnValue(0);
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    spies.push(vi.spyOn(console, method).mockImplementation(() => {}));
  }
});
afterEach(() => {
  vi.restoreAllMocks();
  spies.length = 0;
});
const printed = () => spies.flatMap((spy) => spy.mock.calls.map((args) => args.map(String).join(" ")));

/** Sends a request and returns the answer's JSON, after checking its status. */
async function send(request: Request, status: number, overrides: Partial<Env> = {}) {
  const res = await fetchWith(overrides, request);
  expect(res.status, `${request.method} ${new URL(request.url).pathname}`).toBe(status);
  return res.json<Record<string, unknown>>();
}

const REQUEST_LINE = ["level", "requestId", "organizationId", "method", "route", "status", "durationMs", "sampleRate"];
const ERROR_LINE = ["level", "requestId", "error"];

describe("the logs of a whole request cycle", () => {
  it("hold ids, route patterns and statuses: never an API key, a hook token, a phone or an e-mail", async () => {
    const admin = await createTenant();
    const phones = ["+33612345601", "+33612345602", "+212612345603", "+33612345604"];
    const emails = ["ada.lovelace@example.org", "grace.hopper@example.net", "hedy.lamarr@example.com"];

    const made = await send(buildRequest("/api/keys", { key: admin.key, json: { name: "crm", role: "agent" } }), 201);
    const key = made.key as string;
    await send(buildRequest("/api/keys", { method: "GET", key: admin.key }), 200);
    const created = await send(
      buildRequest("/api/contact", {
        key,
        json: { primaryPhone: phones[0], primaryEmail: emails[0], firstName: "Ada" },
        headers: { "Idempotency-Key": "log-cycle-1" },
      }),
      201,
    );
    await send(
      buildRequest("/api/contact/upsert", {
        key,
        json: {
          data: [
            { primaryPhone: phones[0], primaryEmail: emails[1] },
            { primaryPhone: phones[1], primaryEmail: emails[1] },
          ],
        },
      }),
      200,
    );
    await send(buildRequest(`/api/contact/${created.id}`, { method: "GET", key }), 200);
    await send(
      buildRequest(`/api/contact?search=${encodeURIComponent(emails[1] as string)}`, { method: "GET", key }),
      200,
    );

    const source = await send(
      buildRequest("/api/webhook-sources", { key: admin.key, json: { name: "site", provider: "json" } }),
      201,
    );
    const token = source.token as string;
    await send(buildRequest(`/hooks/${token}`, { json: { eventId: "e-1", phone: phones[2], email: emails[2] } }), 200);

    // A 401 with a well-formed but unknown key, a 404 (an unknown contact), a 404 (an unknown hook token).
    const unknownKey = `cek_${"Z".repeat(32)}`;
    await send(buildRequest("/api/me", { method: "GET", key: unknownKey }), 401);
    await send(buildRequest("/api/contact/0192f4e6-7b1a-7c3e-9a4f-2d8b6c1e5f30", { method: "GET", key }), 404);
    const unknownToken = `whk_${"Y".repeat(32)}`;
    await send(buildRequest(`/hooks/${unknownToken}`, { json: { phone: phones[3] } }), 404);

    // A 500: a bug in D1's path, whose message carries the SQL and the values.
    const DB = faultyD1({
      failBatch: true,
      error: () => new TypeError(`insert into contacts values ('${phones[3]}', '${emails[0]}', '${key}')`),
    });
    await send(
      buildRequest("/api/contact", {
        key,
        json: { primaryPhone: phones[3], primaryEmail: emails[0] },
        headers: { "Idempotency-Key": "log-cycle-500" },
      }),
      500,
      { DB },
    );
    await send(buildRequest(`/api/keys/${made.keyId}`, { method: "DELETE", key: admin.key }), 200);

    const lines = printed();
    expect(lines.length).toBeGreaterThanOrEqual(13);
    const secrets = [
      admin.key,
      key,
      unknownKey,
      await sha256Hex(key),
      token,
      unknownToken,
      ...phones,
      ...phones.map((p) => p.slice(-9)),
      ...emails,
      ...emails.map((e) => e.split("@")[0] as string),
    ];
    for (const line of lines) {
      for (const secret of secrets) expect(line).not.toContain(secret);
      const fields = Object.keys(JSON.parse(line) as object);
      expect([REQUEST_LINE, ERROR_LINE]).toContainEqual(fields);
    }
    const routes = lines.map((l) => JSON.parse(l) as { route?: string; status?: number }).filter((l) => l.route);
    expect(routes).toContainEqual(expect.objectContaining({ route: "/hooks/:token", status: 200 }));
    expect(routes).toContainEqual(expect.objectContaining({ route: "/api/keys", status: 201 }));
    expect(routes.map((l) => l.status)).toEqual(expect.arrayContaining([200, 201, 401, 404, 500]));
  });
});
