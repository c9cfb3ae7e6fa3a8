import type { ErrorCode } from "../lib/errors";

/** What each code's example says, close to the real messages; `extra` holds the code's own members. */
export const ERROR_EXAMPLES: Record<ErrorCode, { message: string; extra?: Record<string, unknown> }> = {
  VALIDATION_FAILED: {
    message: "Validation failed",
    extra: {
      fieldErrors: { primaryPhone: ["primaryPhone must be a valid phone number"] },
      fieldDetails: { primaryPhone: [{ code: "invalidPhone" }] },
    },
  },
  INVALID_JSON: { message: "Request body is not valid JSON" },
  UNAUTHORIZED: { message: "A valid API key is required" },
  FORBIDDEN: { message: "This route needs a key with role admin" },
  NOT_FOUND: { message: "Contact not found" },
  METHOD_NOT_ALLOWED: { message: "Method not allowed" },
  CONTACT_EXISTS: {
    message: "A contact with this phone number already exists",
    extra: { existingId: "0192f4e6-7b1a-7c3e-9a4f-2d8b6c1e5f30" },
  },
  ATTRIBUTE_EXISTS: { message: "A custom attribute with this name already exists" },
  IDEMPOTENCY_IN_PROGRESS: { message: "A request with this Idempotency-Key is still running" },
  PAYLOAD_TOO_LARGE: { message: "Request body must be at most 64 KB" },
  UNSUPPORTED_MEDIA_TYPE: { message: "Content-Type must be application/json" },
  IDEMPOTENCY_KEY_REUSED: { message: "This Idempotency-Key was used with another request" },
  UNPROCESSABLE_DELIVERY: { message: "The delivery cannot become a contact" },
  RATE_LIMITED: { message: "Too many requests, retry later" },
  INTERNAL_ERROR: { message: "Internal server error" },
  SERVICE_UNAVAILABLE: { message: "A dependency is unavailable, retry later" },
};
