import { ApiError } from "../../lib/errors";

export type MediaKind = "json" | "urlencoded" | "multipart";

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;

/** What a `Content-Type` header says the body is, or `415` for anything else. */
export function mediaKindOf(contentType: string | null): MediaKind {
  const mediaType = contentType?.split(";")[0]?.trim().toLowerCase() ?? "";
  if (JSON_TYPE.test(mediaType)) return "json";
  if (mediaType === "application/x-www-form-urlencoded") return "urlencoded";
  if (mediaType === "multipart/form-data") return "multipart";
  throw new ApiError("UNSUPPORTED_MEDIA_TYPE", {
    message: "Content-Type must be application/json, application/x-www-form-urlencoded or multipart/form-data",
  });
}

/** Form fields as an object; a repeated name becomes an array. Uploaded files are not kept. */
function fieldsOf(entries: Iterable<[string, File | string]>): Record<string, unknown> {
  const fields: Record<string, unknown> = Object.create(null);
  for (const [name, value] of entries) {
    if (typeof value !== "string") continue;
    const previous = fields[name];
    fields[name] = previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value];
  }
  return { ...fields };
}

const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

export type Parsed = { ok: true; payload: unknown } | { ok: false; code: "INVALID_JSON" | "unreadableForm" };

/**
 * The raw body as the value its media type describes: JSON, or form fields (urlencoded or
 * multipart). Reports instead of throwing, so the caller can keep the body it could not read.
 */
export async function parsePayload(kind: MediaKind, body: Uint8Array, contentType: string): Promise<Parsed> {
  try {
    if (kind === "json") return { ok: true, payload: JSON.parse(strict.decode(body)) };
    if (kind === "urlencoded") return { ok: true, payload: fieldsOf(new URLSearchParams(strict.decode(body))) };
    const form = await new Response(body, { headers: { "Content-Type": contentType } }).formData();
    return { ok: true, payload: fieldsOf(form) };
  } catch {
    return { ok: false, code: kind === "json" ? "INVALID_JSON" : "unreadableForm" };
  }
}
