import { type Context, Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import type { BlankSchema, Schema } from "hono/types";
import { classifyD1Failure } from "./db/failures";
import { ApiError, type ErrorCode, errorEnvelope, serviceUnavailable } from "./lib/errors";
import { log } from "./lib/log";
import { apiKeyAuth } from "./middleware/auth";
import { d1Session } from "./middleware/d1-session";
import { invalidJson } from "./middleware/json-body";
import { outbox } from "./middleware/outbox";
import { phoneMetadata } from "./middleware/phone-metadata";
import { rateLimit } from "./middleware/rate-limit";
import { apiHeaders, requestLog } from "./middleware/request-log";
import type { AppEnv } from "./types";

/** What a unique index that refused a write means to the caller (routes that can name the holder answer first). */
const UNIQUE_CONFLICTS: Record<string, ErrorCode> = {
  contacts: "CONTACT_EXISTS",
  custom_attributes: "ATTRIBUTE_EXISTS",
  // Two validations of one import session at once: the second finds the first's rows.
  import_rows: "INVALID_SESSION_STATE",
};

/** Any thrown value → the one error envelope. Unknown errors are logged by name only: messages may hold SQL and values. */
function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  // The JSON validator throws 400 only when JSON.parse fails: the media type and size were checked before it.
  if (err instanceof HTTPException && err.status === 400) return invalidJson();
  const failure = classifyD1Failure(err);
  const conflict = failure?.kind === "unique" ? UNIQUE_CONFLICTS[failure.table] : undefined;
  if (conflict) return new ApiError(conflict);
  // A lost race that its service did not resolve, or D1 itself: nothing was written, a retry may pass.
  if (failure) return serviceUnavailable();
  return new ApiError("INTERNAL_ERROR");
}

const answer = (c: Context<AppEnv>, err: ApiError) =>
  c.json(errorEnvelope(err, c.req.path, c.get("requestId")), err.status, err.headers);

/**
 * The methods that serve a path: a path that some route declares as it is (`/api/contact/upsert`)
 * belongs to that route alone (`exact`), others to the route patterns that match them (`matching`).
 */
function methodsOf(routes: { method: string; path: string }[]) {
  const exact = new Map<string, string[]>();
  const patterns: { method: string; pattern: RegExp }[] = [];
  for (const { method, path } of routes) {
    if (method === "ALL") continue;
    if (/[:*]/.test(path)) patterns.push({ method, pattern: new RegExp(`^${path.replace(/:[^/]+/g, "[^/]+")}$`) });
    else exact.set(path, [...new Set([...(exact.get(path) ?? []), method])]);
  }
  return {
    exact: (path: string) => exact.get(path),
    matching: (path: string) => [...new Set(patterns.filter((r) => r.pattern.test(path)).map((r) => r.method))],
  };
}

const methodNotAllowed = (methods: string[]) =>
  new ApiError("METHOD_NOT_ALLOWED", { headers: { Allow: methods.join(", ") } });

/**
 * Everything of the API but its routes, installed on `app` before any route is added: the order
 * of the middleware is the order of a request (request id, security headers and the request log
 * for everything; under `/api` the API key, then its rate limit, before any body is read or row
 * written, then the phone metadata and the D1 session); the `405` of a declared path's other
 * methods; `onError` and `notFound`. `requestLog: false` leaves the request's log line out (the
 * benchmark's A0 only).
 */
export function installBase<A extends Hono<AppEnv, Schema, string>>(app: A, options: { requestLog?: boolean } = {}): A {
  const base = app as unknown as Hono<AppEnv>;
  base.use(requestId(), secureHeaders({ crossOriginResourcePolicy: false }), apiHeaders);
  if (options.requestLog !== false) base.use(requestLog);
  base.use("/api/*", apiKeyAuth, rateLimit, phoneMetadata, d1Session, outbox);
  base.use("/hooks/*", phoneMetadata, d1Session, outbox);

  // Hono's router would hand a declared static path's other methods to a sibling `{id}` route:
  // one map lookup per request keeps them the static route's.
  let methods: ReturnType<typeof methodsOf> | undefined;
  base.use(async (c, next) => {
    methods ??= methodsOf(base.routes);
    const served = methods.exact(c.req.path);
    if (served && !served.includes(c.req.method === "HEAD" ? "GET" : c.req.method)) throw methodNotAllowed(served);
    await next();
  });

  base.onError((err, c) => {
    const apiError = toApiError(err);
    if (apiError.status >= 500) {
      log("error", { requestId: c.get("requestId"), error: err instanceof Error ? err.name : typeof err });
    }
    return answer(c, apiError);
  });
  // Hono has no 405 of its own: a path that a route pattern serves with other methods is a 405, else a 404.
  base.notFound((c) => {
    methods ??= methodsOf(base.routes);
    const served = methods.matching(c.req.path);
    return answer(
      c,
      served.length > 0
        ? methodNotAllowed(served)
        : new ApiError("NOT_FOUND", { message: "No route matches this path" }),
    );
  });
  return app;
}

/** {@link installBase} on a new Hono app, to which routes are then added. */
export const createBaseApp = (options: { requestLog?: boolean } = {}) =>
  installBase(new Hono<AppEnv, BlankSchema, "/">(), options);
