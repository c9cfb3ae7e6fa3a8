import { sha256Hex } from "./crypto";

/** Where a keyset page ends: the last row's sort value and id. */
export interface Position {
  value: string | null;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const toBase64Url = (text: string) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(text)))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");

function fromBase64Url(text: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,1000}$/.test(text)) return undefined;
  try {
    const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(
      Uint8Array.from(binary, (c) => c.charCodeAt(0)),
    );
  } catch {
    return undefined;
  }
}

/**
 * What a cursor is bound to: a hash of the organization and every parameter that shapes the
 * listing, so that a cursor of another organization or of another query is refused. It binds; it
 * does not protect: the position inside is the caller's own data, and every query is filtered by
 * the caller's organization whatever the cursor says.
 */
export async function bindingOf(parts: readonly unknown[]): Promise<string> {
  return (await sha256Hex(JSON.stringify(parts))).slice(0, 24);
}

/**
 * An opaque cursor: base64url of `[value, id, binding]`.
 *
 * @example encodeCursor({ value: "Ada", id: "0192…" }, "9f2c…") // "WyJBZGEiLCIwMTky4oCmIiwiOWYyY…"
 */
export function encodeCursor(position: Position, binding: string): string {
  return toBase64Url(JSON.stringify([position.value, position.id, binding]));
}

/**
 * The position a cursor holds, `"invalid"` when it is not one of ours, `"mismatch"` when it was
 * made for another organization or query.
 */
export function decodeCursor(cursor: string, binding: string): Position | "invalid" | "mismatch" {
  const text = fromBase64Url(cursor);
  let parsed: unknown;
  try {
    parsed = text === undefined ? undefined : JSON.parse(text);
  } catch {
    return "invalid";
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) return "invalid";
  const [value, id, bound] = parsed as unknown[];
  if ((value !== null && typeof value !== "string") || typeof id !== "string" || !UUID.test(id)) return "invalid";
  if (typeof bound !== "string") return "invalid";
  if (bound !== binding) return "mismatch";
  return { value, id };
}
