import type { ApiKeyRecord } from "./db/api-keys";
import type { Db } from "./db/client";
import type { Finalize } from "./db/idempotency";
import type { IfMatch } from "./lib/etag";
import type { Outbox } from "./services/events/outbox";

/** Hono's environment for every route: the bindings, and what middleware puts on the context. */
export interface AppEnv {
  Bindings: Env & {
    /**
     * Where clients reach this API (`https://contacts.example.com`): the intake URLs of webhook
     * sources are built on it. Unset, the request's own URL is used (docs/deploy.md#configuration).
     */
    PUBLIC_BASE_URL?: string;
    /**
     * `"true"` lets webhook endpoints be `http://localhost…` / `http://127.0.0.1…`: set by `npm start`
     * and the tests, never in the deployed worker's configuration.
     */
    ALLOW_HTTP_WEBHOOK_ENDPOINTS?: string;
    /** Test-only: caps every retry delay of an outbound delivery (seconds), so a test sees its retries. */
    EVENT_RETRY_MAX_DELAY_SECONDS?: string;
  };
  Variables: {
    requestId: string;
    /** The caller's key record: the one source of the organization (docs/api.md#tenancy). */
    auth: ApiKeyRecord;
    /** The request body exactly as received, for hashing (idempotency, signatures). */
    rawBody: Uint8Array;
    /** drizzle over this request's D1 session (the `d1Session` middleware): the one way routes reach D1. */
    db: Db;
    /** Set by the `idempotency` middleware: pass it to the write service (see `Finalize`). */
    finalize: Finalize;
    /** Set by the `ifMatch` middleware: the request's `If-Match`, if any. */
    ifMatch: IfMatch | undefined;
    /** Set by the `outbox` middleware: what write services emit events through (see `Outbox`). */
    outbox: Outbox;
  };
}
