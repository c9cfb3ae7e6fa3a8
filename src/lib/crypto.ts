const encoder = new TextEncoder();

let hexTable: string[] | undefined;

/**
 * The two lowercase hex digits of each byte value, built on first use: every request writes out
 * its API key's hash with it, and every new id (./ids.ts).
 */
export const byteHex = (): string[] =>
  (hexTable ??= Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0")));

function toHex(buffer: ArrayBuffer): string {
  const table = byteHex();
  let hex = "";
  for (const b of new Uint8Array(buffer)) hex += table[b];
  return hex;
}

/** SHA-256 of a string or bytes, as lowercase hex. */
export async function sha256Hex(input: string | ArrayBuffer | Uint8Array): Promise<string> {
  const data = typeof input === "string" ? encoder.encode(input) : input;
  return toHex(await crypto.subtle.digest("SHA-256", data));
}

/** A random secret of `bytes` bytes (default 24 = 192 bits), base64url, behind `prefix`. */
export function randomToken(prefix: string, bytes = 24): string {
  const raw = crypto.getRandomValues(new Uint8Array(bytes));
  const b64 = btoa(String.fromCharCode(...raw))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
  return `${prefix}${b64}`;
}
