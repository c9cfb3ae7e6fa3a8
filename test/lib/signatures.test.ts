import { describe, expect, it } from "vitest";
import { verifySignature, verifyTally, verifyTypeform, verifyWebflow } from "../../src/lib/signatures";
import { hmac, typeformSignature, webflowHeaders } from "../webhook-helpers";

const secret = "whsec-test-secret";
const text = '{"event_id":"01JD3Q8Z7K2N6M4P0R5S7T9W1X","form_response":{"answers":[]}}';
const body = new TextEncoder().encode(text);

describe("verifyTypeform", () => {
  it("accepts sha256=<base64 HMAC of the raw body>", async () => {
    expect(await verifyTypeform(secret, body, await typeformSignature(secret, text))).toBe(true);
  });

  it("refuses a wrong secret, a changed body, a missing or malformed header", async () => {
    const good = await typeformSignature(secret, text);
    expect(await verifyTypeform("other", body, good)).toBe(false);
    expect(await verifyTypeform(secret, new TextEncoder().encode(`${text} `), good)).toBe(false);
    expect(await verifyTypeform(secret, body, null)).toBe(false);
    expect(await verifyTypeform(secret, body, good.slice("sha256=".length))).toBe(false);
    expect(await verifyTypeform(secret, body, "sha256=not base64!")).toBe(false);
    expect(await verifyTypeform(secret, body, `sha1=${good.slice(7)}`)).toBe(false);
  });
});

describe("verifyTally", () => {
  it("accepts the bare base64 HMAC of the raw body", async () => {
    expect(await verifyTally(secret, body, await hmac(secret, text, "base64"))).toBe(true);
  });

  it("refuses a wrong, truncated or missing signature", async () => {
    const good = await hmac(secret, text, "base64");
    expect(await verifyTally("other", body, good)).toBe(false);
    expect(await verifyTally(secret, body, good.slice(0, -4))).toBe(false);
    expect(await verifyTally(secret, body, await hmac(secret, text, "hex"))).toBe(false);
    expect(await verifyTally(secret, body, null)).toBe(false);
    expect(await verifyTally(secret, body, "")).toBe(false);
  });
});

describe("verifyWebflow", () => {
  const now = 1_764_000_000_000;

  it("accepts the hex HMAC of '<timestamp>:<raw body>' within 5 minutes either way", async () => {
    for (const ts of [now, now - 299_000, now + 299_000]) {
      const h = await webflowHeaders(secret, text, ts);
      expect(await verifyWebflow(secret, body, h["x-webflow-timestamp"], h["x-webflow-signature"], now)).toBe(true);
    }
  });

  it("refuses a stale or future timestamp even when correctly signed", async () => {
    for (const ts of [now - 301_000, now + 301_000]) {
      const h = await webflowHeaders(secret, text, ts);
      expect(await verifyWebflow(secret, body, h["x-webflow-timestamp"], h["x-webflow-signature"], now)).toBe(false);
    }
  });

  it("refuses a signature over another timestamp, a wrong secret, or missing headers", async () => {
    const h = await webflowHeaders(secret, text, now);
    expect(await verifyWebflow(secret, body, String(now + 1), h["x-webflow-signature"], now)).toBe(false);
    expect(await verifyWebflow("other", body, h["x-webflow-timestamp"], h["x-webflow-signature"], now)).toBe(false);
    expect(await verifyWebflow(secret, body, null, h["x-webflow-signature"], now)).toBe(false);
    expect(await verifyWebflow(secret, body, h["x-webflow-timestamp"], null, now)).toBe(false);
    expect(await verifyWebflow(secret, body, "1.7e12", h["x-webflow-signature"], now)).toBe(false);
    expect(await verifyWebflow(secret, body, h["x-webflow-timestamp"], "zz", now)).toBe(false);
  });
});

describe("verifySignature", () => {
  it("reads each provider's own headers", async () => {
    const now = Date.now();
    const headers = new Headers({
      "Typeform-Signature": await typeformSignature(secret, text),
      "Tally-Signature": await hmac(secret, text, "base64"),
      ...(await webflowHeaders(secret, text, now)),
    });
    for (const provider of ["typeform", "tally", "webflow"] as const) {
      expect(await verifySignature(provider, secret, body, headers, now)).toBe(true);
      expect(await verifySignature(provider, secret, body, new Headers(), now)).toBe(false);
    }
  });
});
