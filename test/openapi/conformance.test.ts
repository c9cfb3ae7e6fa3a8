import { describe, expect, it } from "vitest";
import { assertDocumented } from "../conformance";
import { freshPhone } from "../helpers";

// The checker behind `api()`: each way an answer can disagree with the document fails.

const request = (method: string, path: string) => new Request(`http://localhost${path}`, { method });
const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", "X-Request-Id": "r1", ...headers },
  });

const envelope = (status: number, code: string, error: string) => ({
  statusCode: status,
  code,
  error,
  message: "m",
  timestamp: "2024-01-01T00:00:00.000Z",
  path: "/x",
  requestId: "r1",
});

describe("assertDocumented", () => {
  it("accepts an answer that the document describes", async () => {
    await expect(assertDocumented(request("GET", "/health"), json({ status: "ok" }))).resolves.toBeUndefined();
  });

  it("fails a body that does not match the schema", async () => {
    await expect(assertDocumented(request("GET", "/health"), json({ status: "fine" }))).rejects.toThrow(
      /does not match/,
    );
    await expect(assertDocumented(request("GET", "/health"), json({ status: "ok", extra: 1 }))).rejects.toThrow(
      /does not match/,
    );
  });

  it("fails a status that the operation does not document", async () => {
    await expect(
      assertDocumented(request("GET", "/health"), json(envelope(404, "NOT_FOUND", "NOT_FOUND"), 404)),
    ).rejects.toThrow(/status is not in the OpenAPI document/);
  });

  it("fails an error whose code the operation does not list for that status", async () => {
    const body = envelope(409, "ATTRIBUTE_EXISTS", "CONFLICT");
    await expect(assertDocumented(request("POST", "/api/contact"), json(body, 409))).rejects.toThrow(/does not match/);
  });

  it("fails a route that no operation serves, unless it is the app-wide 404/405", async () => {
    await expect(assertDocumented(request("GET", "/nowhere"), json({ ok: true }))).rejects.toThrow(
      /no operation of the OpenAPI document serves this route/,
    );
    await expect(
      assertDocumented(request("GET", "/nowhere"), json(envelope(404, "NOT_FOUND", "NOT_FOUND"), 404)),
    ).resolves.toBeUndefined();
  });

  it("fails a missing required header and an undocumented media type", async () => {
    const contact = {
      id: "0192f4e6-7b1a-7c3e-9a4f-2d8b6c1e5f30",
      organizationId: "0192f4e6-7b1a-7c3e-9a4f-2d8b6c1e5f30",
      primaryPhone: freshPhone(),
      channels: [],
      createdAt: "2024-01-01T00:00:00.000Z",
      updatedAt: "2024-01-01T00:00:00.000Z",
      firstName: null,
      lastName: null,
      fullName: null,
      primaryEmail: null,
      address: null,
      city: null,
      state: null,
      zip: null,
      occupation: null,
      preferredChannel: null,
      gender: null,
      customAttributes: {},
    };
    await expect(assertDocumented(request("POST", "/api/contact"), json(contact, 201))).rejects.toThrow(
      /header Location is missing/,
    );
    const location = { Location: `/api/contact/${contact.id}` };
    await expect(assertDocumented(request("POST", "/api/contact"), json(contact, 201, location))).rejects.toThrow(
      /header ETag is missing/,
    );
    await expect(
      assertDocumented(request("POST", "/api/contact"), json(contact, 201, { ...location, ETag: '"1.0"' })),
    ).resolves.toBeUndefined();
    const text = new Response("ok", { headers: { "Content-Type": "text/plain", "X-Request-Id": "r1" } });
    await expect(assertDocumented(request("GET", "/health"), text)).rejects.toThrow(/Content-Type text\/plain/);
  });
});
