import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import {
  type Finalize,
  type IdempotencyRecord,
  noFinalize,
  type Reservation,
  releaseIdempotencyKey,
  reserveIdempotencyKey,
  storeResponseStatement,
} from "../db/idempotency";
import { sha256Hex } from "../lib/crypto";
import { ApiError, validationError } from "../lib/errors";
import { log } from "../lib/log";
import type { AppEnv } from "../types";
import { documented, type MiddlewareDoc } from "./documented";

/** 1–255 printable ASCII characters (docs/api.md#idempotency). */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x20-\x7e]{1,255}$/;

const IDEMPOTENCY_DOC = {
  errors: { 400: ["VALIDATION_FAILED"], 409: ["IDEMPOTENCY_IN_PROGRESS"], 422: ["IDEMPOTENCY_KEY_REUSED"] },
  parameters: [
    {
      name: "Idempotency-Key",
      in: "header",
      required: false,
      description:
        "1–255 printable ASCII characters. A retry with the same key and body replays the first answer " +
        "(`Idempotent-Replayed: true`) for 24 h; another body is `422`; while the first still runs, `409`.",
      schema: { type: "string", pattern: IDEMPOTENCY_KEY_PATTERN.source },
    },
  ],
  successHeaders: {
    "Idempotent-Replayed": {
      description: "`true` when this is the stored answer to an earlier request with the same `Idempotency-Key`.",
      schema: { type: "string", const: "true" },
    },
  },
} satisfies MiddlewareDoc;

function invalidKey(): ApiError {
  return validationError([
    {
      path: "Idempotency-Key",
      code: "invalidIdempotencyKey",
      message: "Idempotency-Key must be 1 to 255 printable ASCII characters",
    },
  ]);
}

function keyReused(): ApiError {
  return new ApiError("IDEMPOTENCY_KEY_REUSED");
}

function inProgress(): ApiError {
  return new ApiError("IDEMPOTENCY_IN_PROGRESS", { headers: { "Retry-After": "1" } });
}

const encoder = new TextEncoder();

/** D1 refuses a value over 2,000,000 bytes: a larger answer (a big upsert) is not stored. */
export const MAX_STORED_ANSWER_BYTES = 1_900_000;
const storable = (text: string) =>
  text.length * 3 <= MAX_STORED_ANSWER_BYTES || encoder.encode(text).byteLength <= MAX_STORED_ANSWER_BYTES;

/**
 * What a key is bound to: SHA-256 of method, path and the body's bytes exactly as received.
 *
 * @example await requestHashOf("POST", "/api/contact", c.get("rawBody"))
 */
export async function requestHashOf(method: string, path: string, body: Uint8Array | undefined): Promise<string> {
  const head = encoder.encode(`${method}\n${path}\n`);
  const all = new Uint8Array(head.byteLength + (body?.byteLength ?? 0));
  all.set(head);
  if (body) all.set(body, head.byteLength);
  return sha256Hex(all);
}

/**
 * Our reservation of the key, or the stored answer to replay. A record that vanishes between the
 * two statements of {@link reserveIdempotencyKey} (its request failed and released it) is retried.
 */
async function claim(
  c: Context<AppEnv>,
  key: string,
  requestHash: string,
): Promise<{ reserved: Reservation } | { replay: IdempotencyRecord }> {
  const db = c.get("db");
  const { organizationId } = c.get("auth");
  for (let attempt = 0; attempt < 3; attempt++) {
    const now = Date.now();
    const result = await reserveIdempotencyKey(db, { organizationId, key, requestHash }, now);
    if ("reserved" in result) return result;
    const record = result.existing;
    if (!record || record.expiresAt <= new Date(now).toISOString()) continue;
    if (record.requestHash !== requestHash) throw keyReused();
    if (record.status === null) throw inProgress();
    return { replay: record };
  }
  throw inProgress();
}

/**
 * `Idempotency-Key` for a write route (docs/api.md#idempotency). List it after `jsonBody` in the
 * route's middleware; a request that validation then refuses releases the key at once. Pass
 * `c.get("finalize")` to the write service, which appends its statements to its own write batch:
 * the answer is stored if and only if the write committed.
 *
 * - first request: the key is reserved (status NULL) while the handler runs;
 * - a success (2xx) is stored with the write and replayed for 24 h with `Idempotent-Replayed: true`;
 * - any error (400 from validation, 409 CONTACT_EXISTS, 503, …) did nothing
 *   and releases the key, so the retry runs again;
 * - the same key with another method, path or body: `422 IDEMPOTENCY_KEY_REUSED`;
 * - while the first still runs: `409 IDEMPOTENCY_IN_PROGRESS`; a reservation older than 60 s is
 *   taken to be dead and taken over;
 * - an answer over {@link MAX_STORED_ANSWER_BYTES} cannot be stored: the key is released, and a
 *   retry runs again (harmless for an upsert by phone, which then counts updates).
 *
 * `replayHeaders` rebuilds headers that the stored body implies (a `Location`).
 *
 * @example defineRoute({ method: "post", path: "/api/contact", middleware: [jsonBody(limit), idempotency()], … })
 */
export function idempotency(options: { replayHeaders?: (body: unknown) => Record<string, string> } = {}) {
  const middleware = createMiddleware<AppEnv>(async (c, next) => {
    const key = c.req.header("Idempotency-Key");
    if (key === undefined) {
      c.set("finalize", noFinalize);
      return next();
    }
    if (!IDEMPOTENCY_KEY_PATTERN.test(key)) throw invalidKey();

    const claimed = await claim(c, key, await requestHashOf(c.req.method, c.req.path, c.get("rawBody")));
    if ("replay" in claimed) {
      const { status, body } = claimed.replay;
      const text = body ?? "null";
      return c.body(text, status as ContentfulStatusCode, {
        "Content-Type": "application/json",
        "Idempotent-Replayed": "true",
        ...options.replayHeaders?.(JSON.parse(text)),
      });
    }

    const db = c.get("db");
    const reservation = claimed.reserved;
    let finalized = false;
    let tooLarge = false;
    const finalize: Finalize = (status, body, onlyIf) => {
      const text = JSON.stringify(body);
      if (!storable(text)) {
        tooLarge = true;
        return [];
      }
      finalized = true;
      return [storeResponseStatement(db, reservation, { status, body: text }, onlyIf?.())];
    };
    c.set("finalize", finalize);
    await next();

    const succeeded = !c.error && c.res.status >= 200 && c.res.status < 300;
    try {
      if (!succeeded || (tooLarge && !finalized)) await releaseIdempotencyKey(db, reservation);
      else if (!finalized) {
        // A handler without a write batch of its own: store its answer now rather than never.
        const text = await c.res.clone().text();
        if (storable(text)) await storeResponseStatement(db, reservation, { status: c.res.status, body: text });
        else await releaseIdempotencyKey(db, reservation);
      }
    } catch (err) {
      // The answer stands; the reservation will be taken over once it is considered abandoned.
      log("warn", {
        requestId: c.get("requestId"),
        event: "idempotency_cleanup_failed",
        error: err instanceof Error ? err.name : typeof err,
      });
    }
  });
  return documented(middleware, IDEMPOTENCY_DOC);
}
