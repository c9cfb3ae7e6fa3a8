import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/**
 * The one list of error codes (docs/api.md#errors): each code's status and default message.
 * `ErrorCode`, the envelope's `code` enum in the OpenAPI document and its examples all come from it.
 */
export const ERRORS = {
  VALIDATION_FAILED: { status: 400, message: "Validation failed" },
  INVALID_JSON: { status: 400, message: "Request body is not valid JSON" },
  UNAUTHORIZED: { status: 401, message: "A valid API key is required" },
  FORBIDDEN: { status: 403, message: "This route needs a key with another role" },
  NOT_FOUND: { status: 404, message: "Not found" },
  METHOD_NOT_ALLOWED: { status: 405, message: "Method not allowed" },
  CONTACT_EXISTS: { status: 409, message: "A contact with this phone number already exists" },
  ATTRIBUTE_EXISTS: { status: 409, message: "A custom attribute with this name already exists" },
  KEY_IN_USE: { status: 409, message: "This request is authenticated with this key: revoke it with another admin key" },
  ENDPOINT_DISABLED: { status: 409, message: "This webhook endpoint is disabled" },
  INVALID_SESSION_STATE: { status: 409, message: "The import session is not in a state that allows this call" },
  IDEMPOTENCY_IN_PROGRESS: { status: 409, message: "A request with this Idempotency-Key is still being processed" },
  PRECONDITION_FAILED: { status: 412, message: "The contact changed since the ETag given in If-Match" },
  PAYLOAD_TOO_LARGE: { status: 413, message: "Request body is too large" },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: "Content-Type must be application/json" },
  IDEMPOTENCY_KEY_REUSED: { status: 422, message: "This Idempotency-Key was already used for another request" },
  UNPROCESSABLE_DELIVERY: { status: 422, message: "The delivery cannot become a contact" },
  RATE_LIMITED: { status: 429, message: "Too many requests, retry later" },
  INTERNAL_ERROR: { status: 500, message: "Internal server error" },
  SERVICE_UNAVAILABLE: { status: 503, message: "A dependency is unavailable, retry later" },
} as const satisfies Record<string, { status: ContentfulStatusCode; message: string }>;

export type ErrorCode = keyof typeof ERRORS;
export type ErrorStatus = (typeof ERRORS)[ErrorCode]["status"];
export const ERROR_CODES = Object.keys(ERRORS) as [ErrorCode, ...ErrorCode[]];

/** A failed field: dotted path, machine-readable code, message (which never holds the submitted value). */
/** At most this many field errors are listed in one answer (docs/api.md#errors); the rest are dropped. */
export const MAX_FIELD_ERRORS = 100;

export interface FieldError {
  path: string;
  code: string;
  message: string;
}

/** The envelope's `error` member: the status's reason, in capitals. */
export const STATUS_ERROR: Record<ErrorStatus, string> = {
  400: "BAD_REQUEST",
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  405: "METHOD_NOT_ALLOWED",
  409: "CONFLICT",
  412: "PRECONDITION_FAILED",
  413: "PAYLOAD_TOO_LARGE",
  415: "UNSUPPORTED_MEDIA_TYPE",
  422: "UNPROCESSABLE_ENTITY",
  429: "TOO_MANY_REQUESTS",
  500: "INTERNAL_SERVER_ERROR",
  503: "SERVICE_UNAVAILABLE",
};

export interface ApiErrorOptions {
  /** Overrides the table's message. Never a submitted value. */
  message?: string;
  fieldErrors?: FieldError[];
  /** Extra members of the envelope (`existingId`, `deliveryId`). Never personal data. */
  extra?: Record<string, unknown>;
  /** Response headers such as `Retry-After` or `Allow`. */
  headers?: Record<string, string>;
}

/**
 * The one error type of the API: thrown anywhere, rendered as the error envelope by the app's
 * `onError`. Its status comes from {@link ERRORS}.
 *
 * @example throw new ApiError("NOT_FOUND", { message: "Contact not found" })
 */
export class ApiError extends HTTPException {
  readonly code: ErrorCode;
  override readonly status: ErrorStatus;
  readonly fieldErrors: FieldError[];
  readonly extra: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, options: ApiErrorOptions = {}) {
    const { status, message } = ERRORS[code];
    super(status, { message: options.message ?? message });
    this.name = "ApiError";
    this.code = code;
    this.status = status;
    this.fieldErrors = (options.fieldErrors ?? []).slice(0, MAX_FIELD_ERRORS);
    this.extra = options.extra ?? {};
    this.headers = options.headers ?? {};
  }
}

export const validationError = (fieldErrors: FieldError[]) => new ApiError("VALIDATION_FAILED", { fieldErrors });

export const notFound = (what = "Resource") => new ApiError("NOT_FOUND", { message: `${what} not found` });

export const serviceUnavailable = (retryAfterSeconds = 1) =>
  new ApiError("SERVICE_UNAVAILABLE", { headers: { "Retry-After": String(retryAfterSeconds) } });

/**
 * `op`'s result; a failure that is not already an {@link ApiError} (a KV call that threw) becomes a
 * `503`: nothing is known to be written, and a retry may pass.
 */
export async function orUnavailable<T>(op: Promise<T>): Promise<T> {
  try {
    return await op;
  } catch (err) {
    throw err instanceof ApiError ? err : serviceUnavailable();
  }
}

/** The JSON body of every error response (docs/api.md#errors). */
export function errorEnvelope(err: ApiError, path: string, requestId: string) {
  const body: Record<string, unknown> = {
    statusCode: err.status,
    code: err.code,
    error: STATUS_ERROR[err.status],
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
