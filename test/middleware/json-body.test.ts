import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "../../src/db/client";
import { contacts } from "../../src/db/schema";
import { buildRequest, fetchWith } from "../faults";
import { createTenant, freshPhone } from "../helpers";

/** A JSON body of `size` bytes or more whose phone is `phone`, streamed in 8 KB chunks with no Content-Length. */
function chunkedBody(phone: string, size: number): ReadableStream<Uint8Array> {
  const text = JSON.stringify({ primaryPhone: phone, address: "x".repeat(200), pad: "y".repeat(size) });
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.byteLength) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + 8192));
      offset += 8192;
    },
  });
}

describe("body limits count the bytes actually read", () => {
  it("413 for a chunked body over 64 KB with no Content-Length, and nothing written", async () => {
    const tenant = await createTenant();
    const phone = freshPhone();
    const request = new Request("http://localhost/api/contact", {
      method: "POST",
      headers: { "X-API-Key": tenant.key, "Content-Type": "application/json" },
      body: chunkedBody(phone, 70 * 1024),
      duplex: "half",
    } as RequestInit);
    expect(request.headers.get("Content-Length")).toBeNull();
    const res = await fetchWith({}, request);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
    const rows = await getDb(env.DB)
      .select()
      .from(contacts)
      .where(and(eq(contacts.organizationId, tenant.organizationId), eq(contacts.primaryPhone, phone)));
    expect(rows).toEqual([]);
  });

  it("413 for a body over 64 KB whose Content-Length claims 10 bytes", async () => {
    const tenant = await createTenant();
    const body = JSON.stringify({ primaryPhone: freshPhone(), pad: "y".repeat(70 * 1024) });
    const request = buildRequest("/api/contact", {
      key: tenant.key,
      body,
      headers: { "Content-Type": "application/json", "Content-Length": "10" },
    });
    expect(request.headers.get("Content-Length")).toBe("10");
    const res = await fetchWith({}, request);
    expect(res.status).toBe(413);
  });

  it("413 from the declared Content-Length alone, before reading", async () => {
    const tenant = await createTenant();
    const request = buildRequest("/api/contact", {
      key: tenant.key,
      body: "{}",
      headers: { "Content-Type": "application/json", "Content-Length": String(65 * 1024) },
    });
    expect((await fetchWith({}, request)).status).toBe(413);
  });

  it("a chunked body under the limit is read whole", async () => {
    const tenant = await createTenant();
    const stream = new ReadableStream({
      start(controller) {
        const text = JSON.stringify({ primaryPhone: freshPhone(), address: "1 rue de la Paix" });
        const bytes = new TextEncoder().encode(text);
        controller.enqueue(bytes.slice(0, 10));
        controller.enqueue(bytes.slice(10));
        controller.close();
      },
    });
    const request = new Request("http://localhost/api/contact", {
      method: "POST",
      headers: { "X-API-Key": tenant.key, "Content-Type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect((await fetchWith({}, request)).status).toBe(201);
  });
});
