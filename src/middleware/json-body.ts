import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { ApiError } from "../lib/errors";
import type { AppEnv } from "../types";
import { documented } from "./documented";

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;

const sizeOf = (bytes: number) => (bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MB` : `${bytes / 1024} KB`);

export const payloadTooLarge = (limit: number) =>
  new ApiError("PAYLOAD_TOO_LARGE", { message: `Request body must be at most ${sizeOf(limit)}` });

export const invalidJson = () => new ApiError("INVALID_JSON");

/**
 * The body's bytes, at most `limit` of them: Hono's `bodyLimit` refuses a larger declared
 * `Content-Length` at once and stops reading a body without one at the first byte over; the count
 * of what was actually read is checked again, whatever the headers said.
 */
export async function readBody(c: Context<AppEnv>, limit: number): Promise<Uint8Array> {
  let over = false;
  await bodyLimit({
    maxSize: limit,
    onError: () => {
      over = true;
      return new Response(null, { status: 413 });
    },
  })(c, async () => {});
  if (over) throw payloadTooLarge(limit);
  const buffer = await c.req.arrayBuffer();
  if (buffer.byteLength > limit) throw payloadTooLarge(limit);
  return new Uint8Array(buffer);
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/**
 * For JSON routes: `415` for another media type, `413` past `limit` bytes, `400 INVALID_JSON` for
 * bytes that are not UTF-8. Stricter than the validator alone, which reads any media type as `{}`
 * and decodes bad UTF-8 silently. The bytes stay in Hono's body cache, so the validator parses them
 * without reading again, and on the context (`rawBody`) for hashing.
 */
export function jsonBody(limit: number) {
  const middleware = createMiddleware<AppEnv>(async (c, next) => {
    const mediaType = c.req.header("Content-Type")?.split(";")[0]?.trim() ?? "";
    if (!JSON_TYPE.test(mediaType)) throw new ApiError("UNSUPPORTED_MEDIA_TYPE");
    const raw = await readBody(c, limit);
    try {
      utf8.decode(raw);
    } catch {
      throw invalidJson();
    }
    c.set("rawBody", raw);
    await next();
  });
  return documented(middleware, {
    errors: { 400: ["INVALID_JSON"], 413: ["PAYLOAD_TOO_LARGE"], 415: ["UNSUPPORTED_MEDIA_TYPE"] },
    description: `Body: \`application/json\`, at most ${sizeOf(limit)}.`,
  });
}
