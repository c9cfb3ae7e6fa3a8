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

/** The providers that sign their deliveries, so a source of theirs may hold a secret. */
export const SIGNING_PROVIDERS = ["typeform", "tally", "webflow"] as const;
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
  }
}
