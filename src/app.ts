import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { classifyD1Failure } from "./db/failures";
import { ApiError, type ErrorCode, errorEnvelope, serviceUnavailable } from "./lib/errors";
import { log } from "./lib/log";
import { apiKeyAuth } from "./middleware/auth";
import { d1Session } from "./middleware/d1-session";
import { hookRateLimit } from "./middleware/ip-rate-limit";
import { invalidJson } from "./middleware/json-body";
import { rateLimit } from "./middleware/rate-limit";
import { requestId } from "./middleware/request-id";
import { requestLog } from "./middleware/request-log";
import { contactRoutes } from "./routes/contacts";
import { customAttributeRoutes } from "./routes/custom-attributes";
import { healthRoutes } from "./routes/health";
import { hookRoutes } from "./routes/hooks";
import { meRoutes } from "./routes/me";
import { openApiRoutes } from "./routes/openapi";
import { webhookSourceRoutes } from "./routes/webhook-sources";
import type { AppEnv } from "./types";

/** What a unique index that refused a write means to the caller (routes that can name the holder answer first). */
const UNIQUE_CONFLICTS: Record<string, ErrorCode> = {
  contacts: "CONTACT_EXISTS",
  custom_attributes: "ATTRIBUTE_EXISTS",
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

function methodNotAllowed(allow: string[]): ApiError {
  return new ApiError("METHOD_NOT_ALLOWED", { headers: { Allow: allow.join(", ") } });
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
  // Chained, so that the type of the app carries every route for the typed client (src/client.ts).
  // The rate limit counts per key, so it needs the key; it runs before any body is read or row written.
  const api = new Hono<AppEnv>()
    .use(apiKeyAuth, rateLimit, d1Session)
    .route("/contact", contactRoutes)
    .route("/custom-attributes", customAttributeRoutes)
    .route("/me", meRoutes)
    .route("/webhook-sources", webhookSourceRoutes);

  const app = new Hono<AppEnv>()
    .use(requestId, requestLog)
    .route("/health", healthRoutes)
    .use("/hooks/*", hookRateLimit)
    .use("/hooks/*", d1Session)
    .route("/hooks", hookRoutes)
    .route("/", openApiRoutes)
    .route("/api", api);

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
      allow.length > 0 ? methodNotAllowed(allow) : new ApiError("NOT_FOUND", { message: "No route matches this path" });
    return c.json(errorEnvelope(err, c.req.path, c.get("requestId")), err.status, err.headers);
  });

  return app;
}

export type App = ReturnType<typeof createApp>;
