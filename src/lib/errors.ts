import type { ContentfulStatusCode } from "hono/utils/http-status";

export type ErrorCode =
  | "VALIDATION_FAILED"
  | "INVALID_JSON"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "METHOD_NOT_ALLOWED"
  | "CONTACT_EXISTS"
  | "ATTRIBUTE_EXISTS"
  | "IDEMPOTENCY_IN_PROGRESS"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "IDEMPOTENCY_KEY_REUSED"
  | "UNPROCESSABLE_DELIVERY"
  | "RATE_LIMITED"
  | "INTERNAL_ERROR"
  | "SERVICE_UNAVAILABLE";

/** A failed field: dotted path → messages, and path → machine-readable details. */
export interface FieldError {
  path: string;
  code: string;
  message: string;
}

const STATUS_ERROR: Record<number, string> = {
  400: "BAD_REQUEST",
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  405: "METHOD_NOT_ALLOWED",
  409: "CONFLICT",
  413: "PAYLOAD_TOO_LARGE",
  415: "UNSUPPORTED_MEDIA_TYPE",
  422: "UNPROCESSABLE_ENTITY",
  429: "TOO_MANY_REQUESTS",
  500: "INTERNAL_SERVER_ERROR",
  503: "SERVICE_UNAVAILABLE",
};

/**
 * The one error type of the API: thrown anywhere, rendered as the error envelope by `onError`.
 *
 * @example throw new ApiError(404, "NOT_FOUND", "Contact not found")
 */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    /** Extra members of the envelope (`existingId`, …). Never personal data. */
    readonly extra: Record<string, unknown> = {},
    readonly fieldErrors: FieldError[] = [],
    /** Response headers such as `Retry-After`. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export function validationError(fieldErrors: FieldError[]): ApiError {
  return new ApiError(400, "VALIDATION_FAILED", "Validation failed", {}, fieldErrors);
}

export function notFound(what = "Resource"): ApiError {
  return new ApiError(404, "NOT_FOUND", `${what} not found`);
}

export function serviceUnavailable(retryAfterSeconds = 1): ApiError {
  return new ApiError(503, "SERVICE_UNAVAILABLE", "A dependency is unavailable, retry later", {}, [], {
    "Retry-After": String(retryAfterSeconds),
  });
}

/** The JSON body of every error response (CONTRACT §3). */
export function errorEnvelope(err: ApiError, path: string, requestId: string) {
  const body: Record<string, unknown> = {
    statusCode: err.status,
    code: err.code,
    error: STATUS_ERROR[err.status] ?? "ERROR",
    message: err.message,
    ...err.extra,
  };
  if (err.fieldErrors.length > 0) {
    // Maps, then Object.fromEntries: a field named "__proto__" must become a key, not a prototype.
    const fieldErrors = new Map<string, string[]>();
    const fieldDetails = new Map<string, { code: string }[]>();
    for (const { path: field, code, message } of err.fieldErrors) {
      fieldErrors.set(field, [...(fieldErrors.get(field) ?? []), message]);
      fieldDetails.set(field, [...(fieldDetails.get(field) ?? []), { code }]);
    }
    body.fieldErrors = Object.fromEntries(fieldErrors);
    body.fieldDetails = Object.fromEntries(fieldDetails);
  }
  body.timestamp = new Date().toISOString();
  body.path = path;
  body.requestId = requestId;
  return body;
}
