import type { ApiKeyRecord } from "./db/api-keys";
import type { Finalize } from "./db/idempotency";

/** Hono's environment for every route: the bindings, and what middleware puts on the context. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    /** The caller's key record: the one source of the organization (CONTRACT §2). */
    auth: ApiKeyRecord;
    /** The request body exactly as received, for hashing (idempotency, signatures). */
    rawBody: Uint8Array;
    /** Set by the `idempotency` middleware: pass it to the write service (see `Finalize`). */
    finalize: Finalize;
  };
}
