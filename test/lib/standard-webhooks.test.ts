import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { standardWebhooksHeaders, verifyStandardWebhook } from "../../src/lib/signatures";
import { newEndpointSecret } from "../../src/services/webhook-endpoints";

const body = JSON.stringify({ type: "contact.created", timestamp: "2026-01-01T00:00:00.000Z", data: { id: "x" } });
const bytes = new TextEncoder().encode(body);

describe("Standard Webhooks, checked against the reference package", () => {
  it("our signature verifies with the reference package; a secret is whsec_ + base64 of 32 bytes", async () => {
    const secret = newEndpointSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const headers = await standardWebhooksHeaders(secret, "msg_1", Math.floor(Date.now() / 1000), body);
    expect(headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(newEndpointSecret()).verify(body, headers)).toThrow();
  });

  it("the reference package's signature verifies with ours; forgeries and stale timestamps do not", async () => {
    const secret = newEndpointSecret();
    const now = new Date();
    const signature = new Webhook(secret).sign("msg_2", now, body);
    const headers = (sig: string, at = now) =>
      new Headers({
        "webhook-id": "msg_2",
        "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
        "webhook-signature": sig,
      });
    expect(await verifyStandardWebhook(secret, bytes, headers(signature), now.getTime())).toBe(true);
    expect(await verifyStandardWebhook(secret, bytes, headers(`v1,bogus ${signature}`), now.getTime())).toBe(true);
    expect(await verifyStandardWebhook(newEndpointSecret(), bytes, headers(signature), now.getTime())).toBe(false);
    expect(
      await verifyStandardWebhook(secret, new TextEncoder().encode(`${body} `), headers(signature), now.getTime()),
    ).toBe(false);
    const old = new Date(now.getTime() - 6 * 60_000);
    const stale = new Webhook(secret).sign("msg_2", old, body);
    expect(await verifyStandardWebhook(secret, bytes, headers(stale, old), now.getTime())).toBe(false);
    expect(await verifyStandardWebhook(secret, bytes, new Headers(), now.getTime())).toBe(false);
  });
});
