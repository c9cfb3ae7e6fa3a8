import { type SQL, sql } from "drizzle-orm";

/**
 * The guards that a write's batch may carry. Each aborts the whole batch (D1 batches are atomic)
 * when what the request relied on no longer holds.
 */
export type Guard =
  | "definitions-changed"
  | "event-logged"
  | "contact-changed"
  /** `If-Match` named none of the contact's current ETag (erasure). */
  | "precondition-failed"
  /** Attributes merged in SQL broke a limit of `ATTRIBUTE_LIMITS` (src/db/contacts.ts). */
  | "too-many-attributes"
  | "attributes-too-large"
  /** A chunk of an import's rows was written by another consumer first (src/db/imports.ts). */
  | "import-rows-taken";

/** Why a D1 call failed. */
export type D1Failure =
  /** A unique index refused the write: a race lost to a concurrent request (nothing of the batch was written). */
  | { kind: "unique"; table: string }
  /** One of our guards aborted the batch. */
  | { kind: "guard"; guard: Guard }
  /** D1 itself failed (overload, storage, network): worth a retry later. */
  | { kind: "storage" };

const GUARD_TAG = "guard:";

/**
 * An SQL expression that raises an error naming `guard`. Put it in a statement whose rows exist
 * only when the guard must fire, and make it depend on the row (`detail`), so that SQLite
 * evaluates it only then.
 *
 * @example db.select({ abort: abortWith("contact-changed", sql`value ->> '$.id'`) }).from(…).where(changed)
 */
export function abortWith(guard: Guard, detail: SQL): SQL {
  return sql`json_extract('{}', ${`${GUARD_TAG}${guard} `} || (${detail}))`;
}

function* causes(err: unknown): Generator<Error> {
  for (let e: unknown = err; e instanceof Error; e = e.cause) yield e;
}

/**
 * The one place that reads D1's errors. Only SQLite's and D1's own messages are read — drizzle's
 * wrapper (`DrizzleQueryError`) holds the SQL and the bound values (phones, e-mails) — and none
 * is ever echoed or logged.
 *
 * @returns undefined for an error that did not come from D1.
 */
export function classifyD1Failure(err: unknown): D1Failure | undefined {
  let fromD1 = false;
  for (const e of causes(err)) {
    if (e.name === "DrizzleQueryError") {
      fromD1 = true;
      continue;
    }
    const guard = e.message.match(/guard:([a-z-]+) /)?.[1];
    if (guard) return { kind: "guard", guard: guard as Guard };
    const table = e.message.match(/UNIQUE constraint failed: (\w+)\./)?.[1];
    if (table) return { kind: "unique", table };
    if (/^D1_/.test(e.message)) fromD1 = true;
  }
  return fromD1 ? { kind: "storage" } : undefined;
}
