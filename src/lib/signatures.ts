const encoder = new TextEncoder();

/** How far a Webflow timestamp may be from our clock, either way. */
export const WEBFLOW_TOLERANCE_MS = 5 * 60 * 1000;

function base64Bytes(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0) return null;
  const binary = atob(text);
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}

function hexBytes(text: string): Uint8Array | null {
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(text)) return null;
  return Uint8Array.from(text.match(/../g) as string[], (pair) => Number.parseInt(pair, 16));
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

/**
 * Whether `signature` is HMAC-SHA256(secret, data). WebCrypto's `verify` compares in constant
 * time, so a forger learns nothing from how long a wrong guess takes.
 */
async function hmacMatches(secret: string, data: Uint8Array, signature: Uint8Array | null): Promise<boolean> {
  if (signature === null || signature.byteLength !== 32) return false;
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "verify",
  ]);
  return crypto.subtle.verify("HMAC", key, signature, data);
}

/**
 * Typeform: `Typeform-Signature: sha256=<base64 of HMAC-SHA256(secret, raw body)>`.
 *
 * @example await verifyTypeform("s3cret", body, request.headers.get("Typeform-Signature"))
 */
export function verifyTypeform(secret: string, body: Uint8Array, header: string | null): Promise<boolean> {
  const match = header?.trim().match(/^sha256=(.+)$/);
  return hmacMatches(secret, body, match?.[1] ? base64Bytes(match[1]) : null);
}

/**
 * Tally: `Tally-Signature: <base64 of HMAC-SHA256(secret, raw body)>`.
 *
 * @example await verifyTally("s3cret", body, request.headers.get("Tally-Signature"))
 */
export function verifyTally(secret: string, body: Uint8Array, header: string | null): Promise<boolean> {
  return hmacMatches(secret, body, header ? base64Bytes(header.trim()) : null);
}

/**
 * Webflow: `x-webflow-signature` = hex HMAC-SHA256(secret, "<x-webflow-timestamp>:<raw body>"),
 * the timestamp in milliseconds and at most {@link WEBFLOW_TOLERANCE_MS} away from `now`, so a
 * captured request cannot be replayed later.
 *
 * @example await verifyWebflow("s3cret", body, headers.get("x-webflow-timestamp"), headers.get("x-webflow-signature"))
 */
export function verifyWebflow(
  secret: string,
  body: Uint8Array,
  timestamp: string | null,
  signature: string | null,
  now = Date.now(),
): Promise<boolean> {
  const ts = timestamp?.trim() ?? "";
  if (!/^\d{1,16}$/.test(ts) || Math.abs(now - Number(ts)) > WEBFLOW_TOLERANCE_MS) return Promise.resolve(false);
  return hmacMatches(secret, concat(encoder.encode(`${ts}:`), body), signature ? hexBytes(signature.trim()) : null);
}

/** How far a Standard Webhooks `webhook-timestamp` may be from our clock, either way. */
export const STANDARD_WEBHOOKS_TOLERANCE_S = 5 * 60;

/** `whsec_` + base64: the secret format of the Standard Webhooks spec. */
export const STANDARD_WEBHOOKS_SECRET = /^whsec_(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The HMAC key of a Standard Webhooks secret: the bytes that `whsec_` is followed by, in base64. */
function standardWebhooksKey(secret: string): Uint8Array | null {
  return base64Bytes(secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret);
}

async function hmacSha256(key: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const cryptoKey = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", cryptoKey, data));
}

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

/**
 * The headers of a Standard Webhooks delivery (standardwebhooks.com): `webhook-id`,
 * `webhook-timestamp` (Unix seconds) and `webhook-signature`, `v1,` + base64 HMAC-SHA256 of
 * `"<id>.<timestamp>.<body>"` keyed by the secret's bytes.
 *
 * @example await standardWebhooksHeaders("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "evt_1", 1_700_000_000, body)
 */
export async function standardWebhooksHeaders(
  secret: string,
  id: string,
  timestampSeconds: number,
  body: string,
): Promise<Record<"webhook-id" | "webhook-timestamp" | "webhook-signature", string>> {
  const key = standardWebhooksKey(secret);
  if (!key) throw new Error("Not a Standard Webhooks secret");
  const signature = await hmacSha256(key, encoder.encode(`${id}.${timestampSeconds}.${body}`));
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestampSeconds),
    "webhook-signature": `v1,${toBase64(signature)}`,
  };
}

/**
 * Standard Webhooks: `webhook-signature` holds one or more space-separated `v1,<base64>`
 * signatures, one of which must be HMAC-SHA256(key, "<webhook-id>.<webhook-timestamp>.<raw body>");
 * the timestamp (seconds) at most {@link STANDARD_WEBHOOKS_TOLERANCE_S} away from `now`.
 *
 * @example await verifyStandardWebhook("whsec_…", body, request.headers)
 */
export async function verifyStandardWebhook(
  secret: string,
  body: Uint8Array,
  headers: Headers,
  now = Date.now(),
): Promise<boolean> {
  const id = headers.get("webhook-id")?.trim() ?? "";
  const ts = headers.get("webhook-timestamp")?.trim() ?? "";
  const key = standardWebhooksKey(secret);
  if (!key || id === "" || !/^\d{1,12}$/.test(ts)) return false;
  if (Math.abs(now / 1000 - Number(ts)) > STANDARD_WEBHOOKS_TOLERANCE_S) return false;
  const signed = concat(encoder.encode(`${id}.${ts}.`), body);
  const cryptoKey = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  for (const entry of (headers.get("webhook-signature") ?? "").trim().split(/\s+/).slice(0, 10)) {
    const [version, signature] = entry.split(",", 2);
    const bytes = version === "v1" && signature ? base64Bytes(signature) : null;
    if (bytes?.byteLength === 32 && (await crypto.subtle.verify("HMAC", cryptoKey, bytes, signed))) return true;
  }
  return false;
}

/** The providers that sign their deliveries, so a source of theirs may hold a secret (`json`: Standard Webhooks). */
export const SIGNING_PROVIDERS = ["typeform", "tally", "webflow", "json"] as const;
export type SigningProvider = (typeof SIGNING_PROVIDERS)[number];

/**
 * The signature check of `provider` over a delivery's raw body and headers.
 *
 * @example await verifySignature("tally", secret, body, request.headers)
 */
export function verifySignature(
  provider: SigningProvider,
  secret: string,
  body: Uint8Array,
  headers: Headers,
  now = Date.now(),
): Promise<boolean> {
  switch (provider) {
    case "typeform":
      return verifyTypeform(secret, body, headers.get("Typeform-Signature"));
    case "tally":
      return verifyTally(secret, body, headers.get("Tally-Signature"));
    case "webflow":
      return verifyWebflow(secret, body, headers.get("x-webflow-timestamp"), headers.get("x-webflow-signature"), now);
    case "json":
      return verifyStandardWebhook(secret, body, headers, now);
  }
}
