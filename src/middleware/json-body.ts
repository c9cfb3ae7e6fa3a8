import { createMiddleware } from "hono/factory";
import { ApiError } from "../lib/errors";
import type { AppEnv } from "../types";

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;

export function payloadTooLarge(limit: number): ApiError {
  return new ApiError("PAYLOAD_TOO_LARGE", { message: `Request body must be at most ${limit / 1024} KB` });
}

/**
 * Reads the whole body, counting the bytes actually received (a missing or lying
 * Content-Length cannot get past the limit), and stops reading at the first byte over.
 */
export async function readBody(request: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get("Content-Length"));
  if (declared > limit) throw payloadTooLarge(limit);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw payloadTooLarge(limit);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/**
 * For JSON routes: `415` for another media type, `413` past `limit` bytes, `400 INVALID_JSON`
 * for bytes that are not UTF-8. The text is handed to the validator through Hono's body
 * cache, so it is parsed once; a parse failure there becomes `INVALID_JSON` in `onError`.
 */
export function jsonBody(limit: number) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const mediaType = c.req.header("Content-Type")?.split(";")[0]?.trim() ?? "";
    if (!JSON_TYPE.test(mediaType)) {
      throw new ApiError("UNSUPPORTED_MEDIA_TYPE");
    }
    const raw = await readBody(c.req.raw, limit);
    let text: string;
    try {
      text = decoder.decode(raw);
    } catch {
      throw invalidJson();
    }
    c.set("rawBody", raw);
    // Hono types the cache as Body's methods, but stores the promises of their results.
    (c.req.bodyCache as Record<string, Promise<unknown>>).text = Promise.resolve(text);
    await next();
  });
}

export function invalidJson(): ApiError {
  return new ApiError("INVALID_JSON");
}
