import { api } from "./helpers";

const encoder = new TextEncoder();

/** HMAC-SHA256 of `data` under `secret`, as a provider computes it. */
export async function hmac(secret: string, data: string, encoding: "base64" | "hex"): Promise<string> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  const bytes = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(data)));
  return encoding === "hex"
    ? Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")
    : btoa(String.fromCharCode(...bytes));
}

export const typeformSignature = async (secret: string, body: string) => `sha256=${await hmac(secret, body, "base64")}`;
export const tallySignature = (secret: string, body: string) => hmac(secret, body, "base64");
export async function webflowHeaders(secret: string, body: string, timestamp = Date.now()) {
  return {
    "x-webflow-timestamp": String(timestamp),
    "x-webflow-signature": await hmac(secret, `${timestamp}:${body}`, "hex"),
  };
}

export interface CreatedSource {
  id: string;
  token: string;
  url: string;
  /** The intake path, for `api()`. */
  path: string;
  [key: string]: unknown;
}

/** Registers a source through the API, as an admin would. */
export async function createSource(key: string, body: Record<string, unknown>): Promise<CreatedSource> {
  const res = await api("/api/webhook-sources", { method: "POST", key, json: body });
  if (res.status !== 201) throw new Error(`source creation failed: ${res.status} ${await res.text()}`);
  const source = (await res.json()) as CreatedSource;
  return { ...source, path: new URL(source.url).pathname };
}

/** A delivery to an intake path. */
export function deliver(
  path: string,
  body: BodyInit,
  headers: Record<string, string> = { "Content-Type": "application/json" },
): Promise<Response> {
  return api(path, { method: "POST", body, headers });
}
