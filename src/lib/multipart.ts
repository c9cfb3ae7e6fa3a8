/**
 * A streaming `multipart/form-data` reader (RFC 7578): parts come out as their headers, then their
 * bytes in chunks as they arrive, so a file part of 50 MB is never held whole (`Request.formData()`
 * would buffer it). Only what a form sends: `Content-Disposition` with `name` and `filename`, and
 * `Content-Type`.
 */

export interface PartHeaders {
  name: string;
  filename?: string;
  contentType?: string;
}

export interface MultipartHandler {
  part(headers: PartHeaders): void | Promise<void>;
  data(bytes: Uint8Array): void | Promise<void>;
  partEnd(): void | Promise<void>;
}

/** Why a body is not multipart: the message is the client's to read (no value from the body). */
export class MultipartError extends Error {
  override name = "MultipartError";
}

const MAX_HEADER_BYTES = 16 * 1024;
const encoder = new TextEncoder();

/** The `boundary` of a `multipart/form-data` Content-Type, or undefined. */
export function boundaryOf(contentType: string | null | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data\s*(;|$)/i.test(contentType)) return undefined;
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

/** Index of `needle` in `haystack` from `from`, or -1. */
function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0] as number;
  const last = haystack.length - needle.length;
  for (let i = haystack.indexOf(first, from); i !== -1 && i <= last; i = haystack.indexOf(first, i + 1)) {
    let j = 1;
    while (j < needle.length && haystack[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}

const concat = (a: Uint8Array, b: Uint8Array) => {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
};

function parseHeaders(block: string): PartHeaders {
  let name: string | undefined;
  let filename: string | undefined;
  let contentType: string | undefined;
  for (const line of block.split("\r\n")) {
    const colon = line.indexOf(":");
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === "content-disposition") {
      name = /;\s*name="([^"]*)"/i.exec(value)?.[1];
      filename = /;\s*filename="([^"]*)"/i.exec(value)?.[1];
    } else if (key === "content-type") contentType = value;
  }
  if (name === undefined) throw new MultipartError("a part has no Content-Disposition name");
  return { name, filename, contentType };
}

/**
 * Reads `body` part by part into `handler`. Each delimiter is searched for as `CRLF--boundary`;
 * the bytes before it that cannot be part of one are handed on at once.
 */
export async function readMultipart(
  body: ReadableStream<Uint8Array>,
  boundary: string,
  handler: MultipartHandler,
): Promise<void> {
  const delimiter = encoder.encode(`\r\n--${boundary}`);
  const headerEnd = encoder.encode("\r\n\r\n");
  const decoder = new TextDecoder();
  // The body starts with `--boundary`: a CRLF in front makes the first delimiter like the others.
  let buffer: Uint8Array = encoder.encode("\r\n");
  let state = "preamble" as "preamble" | "afterDelimiter" | "headers" | "body" | "done";

  const step = async (final: boolean): Promise<boolean> => {
    switch (state) {
      case "preamble": {
        const at = indexOf(buffer, delimiter, 0);
        if (at < 0) {
          if (final) throw new MultipartError("no multipart boundary in the body");
          buffer = buffer.subarray(Math.max(0, buffer.length - delimiter.length));
          return false;
        }
        buffer = buffer.subarray(at + delimiter.length);
        state = "afterDelimiter";
        return true;
      }
      case "afterDelimiter": {
        if (buffer.length < 2) {
          if (final) throw new MultipartError("the body ends inside a delimiter");
          return false;
        }
        if (buffer[0] === 45 && buffer[1] === 45) {
          state = "done"; // `--`: the closing delimiter; what follows is an epilogue
          return false;
        }
        const lineEnd = indexOf(buffer, headerEnd.subarray(0, 2), 0);
        if (lineEnd < 0) {
          if (final || buffer.length > 256) throw new MultipartError("a delimiter is not followed by a line break");
          return false;
        }
        buffer = buffer.subarray(lineEnd + 2);
        state = "headers";
        return true;
      }
      case "headers": {
        const at = indexOf(buffer, headerEnd, 0);
        if (at < 0) {
          if (final || buffer.length > MAX_HEADER_BYTES) throw new MultipartError("a part's headers never end");
          return false;
        }
        await handler.part(parseHeaders(decoder.decode(buffer.subarray(0, at))));
        buffer = buffer.subarray(at + headerEnd.length);
        state = "body";
        return true;
      }
      case "body": {
        const at = indexOf(buffer, delimiter, 0);
        if (at < 0) {
          if (final) throw new MultipartError("the body ends inside a part");
          // Keep what could be the start of a delimiter cut by the chunk's end.
          const safe = buffer.length - (delimiter.length - 1);
          if (safe > 0) {
            await handler.data(buffer.subarray(0, safe));
            buffer = buffer.subarray(safe);
          }
          return false;
        }
        if (at > 0) await handler.data(buffer.subarray(0, at));
        await handler.partEnd();
        buffer = buffer.subarray(at + delimiter.length);
        state = "afterDelimiter";
        return true;
      }
      case "done":
        return false;
    }
  };

  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      // A copy: the parts handed to `data` may be kept by the handler while the stream reuses its buffer.
      buffer = concat(buffer, value.slice());
      while (await step(false));
      if (state === "done") break;
    }
    while (await step(true));
    if (state !== "done") throw new MultipartError("the body has no closing delimiter");
  } finally {
    reader.releaseLock();
  }
}
