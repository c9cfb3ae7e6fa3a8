import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { ApiError, errorEnvelope, serviceUnavailable } from "./lib/errors";
import { log } from "./lib/log";
import { apiKeyAuth } from "./middleware/auth";
import { invalidJson } from "./middleware/json-body";
import { rateLimit } from "./middleware/rate-limit";
import { requestId } from "./middleware/request-id";
import { requestLog } from "./middleware/request-log";
import { contactRoutes } from "./routes/contacts";
import { customAttributeRoutes } from "./routes/custom-attributes";
import { healthRoutes } from "./routes/health";
import { hookRoutes } from "./routes/hooks";
import { meRoutes } from "./routes/me";
import { webhookSourceRoutes } from "./routes/webhook-sources";
import type { AppEnv } from "./types";

/** The error and its causes, outermost first. */
function* causes(err: unknown): Generator<Error> {
  for (let e: unknown = err; e instanceof Error; e = e.cause) yield e;
}

/** D1 reports its own failures (overload, storage errors) as `D1_…` errors, which drizzle wraps. */
function isStorageFailure(err: unknown): boolean {
  for (const e of causes(err)) {
    if (e.name === "DrizzleQueryError" || /^D1_/.test(e.message)) return true;
  }
  return false;
}

/**
 * A uniqueness race that reached the database as an error (a plain INSERT or UPDATE that lost to
 * a concurrent request; nothing of its batch was written) is a 409, not a failure. Only SQLite's
 * own message is read, for the table name (drizzle's wrapper message holds the bound values), and
 * it is never echoed. Routes that can name the existing row answer their 409 before this.
 */
function uniqueConflict(err: unknown): ApiError | undefined {
  for (const e of causes(err)) {
    if (e.name === "DrizzleQueryError") continue;
    const table = /UNIQUE constraint failed: (\w+)\./.exec(e.message)?.[1];
    if (table === "contacts") {
      return new ApiError(409, "CONTACT_EXISTS", "A contact with this phone number already exists");
    }
    if (table === "custom_attributes") {
      return new ApiError(409, "ATTRIBUTE_EXISTS", "A custom attribute with this name already exists");
    }
  }
  return undefined;
}

/** Any thrown value → the one error envelope. Unknown errors are logged by name only: messages may hold SQL and values. */
function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  // The JSON validator throws 400 only when JSON.parse fails: the media type and size were checked before it.
  if (err instanceof HTTPException && err.status === 400) return invalidJson();
  const conflict = uniqueConflict(err);
  if (conflict) return conflict;
  if (isStorageFailure(err)) return serviceUnavailable();
  return new ApiError(500, "INTERNAL_ERROR", "Internal server error");
}

function methodNotAllowed(allow: string[]): ApiError {
  return new ApiError(405, "METHOD_NOT_ALLOWED", "Method not allowed", {}, [], { Allow: allow.join(", ") });
}

/** A route pattern (`/api/contact/:id`) as a regular expression over paths. */
const patternOf = (path: string) =>
  new RegExp(
    `^${path
      .replace(/\/$/, "")
      .replace(/:[^/]+/g, "[^/]+")
      .replace(/\*/g, ".*")}/?$`,
  );

export function createApp() {
  const app = new Hono<AppEnv>();

  app.use(requestId, requestLog);
  app.route("/health", healthRoutes);
  app.route("/hooks", hookRoutes);

  const api = new Hono<AppEnv>();
  // The rate limit counts per key, so it needs the key; it runs before any body is read or row written.
  api.use(apiKeyAuth, rateLimit);
  api.route("/contact", contactRoutes);
  api.route("/custom-attributes", customAttributeRoutes);
  api.route("/me", meRoutes);
  api.route("/webhook-sources", webhookSourceRoutes);
  app.route("/api", api);

  app.onError((err, c) => {
    const apiError = toApiError(err);
    if (apiError.status >= 500) {
      log("error", { requestId: c.get("requestId"), error: err instanceof Error ? err.name : typeof err });
    }
    return c.json(errorEnvelope(apiError, c.req.path, c.get("requestId")), apiError.status, apiError.headers);
  });

  // Hono has no 405 of its own: a path that some route serves with another method is a 405, else a 404.
  let table: { method: string; pattern: RegExp }[] | undefined;
  app.notFound((c) => {
    table ??= app.routes
      .filter((r) => r.method !== "ALL")
      .map((r) => ({ method: r.method, pattern: patternOf(r.path) }));
    const allow = [...new Set(table.filter((r) => r.pattern.test(c.req.path)).map((r) => r.method))];
    const err =
      allow.length > 0 ? methodNotAllowed(allow) : new ApiError(404, "NOT_FOUND", "No route matches this path");
    return c.json(errorEnvelope(err, c.req.path, c.get("requestId")), err.status, err.headers);
  });

  return app;
}

export type App = ReturnType<typeof createApp>;
