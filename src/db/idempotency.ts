import { and, eq, isNull, lte, or, type SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "./client";
import { idempotencyKeys } from "./schema";

/** How long a stored answer is replayed (docs/api.md#idempotency). */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/**
 * A reservation still running after this long is taken to be dead (its worker was cancelled or
 * crashed before it could release it) and the next request with the key runs instead. Far above
 * the time a create or an upsert takes, including D1's 30 s statement limit.
 */
export const IDEMPOTENCY_ABANDONED_AFTER_MS = 60_000;

export type IdempotencyRecord = typeof idempotencyKeys.$inferSelect;

/** Which reservation: `createdAt` tells ours apart from a later one that took over the key. */
export interface Reservation {
  organizationId: string;
  key: string;
  createdAt: string;
}

const ours = (r: Reservation) =>
  and(
    eq(idempotencyKeys.organizationId, r.organizationId),
    eq(idempotencyKeys.key, r.key),
    eq(idempotencyKeys.createdAt, r.createdAt),
    isNull(idempotencyKeys.status),
  );

/**
 * Claims the key in one statement: a new key is inserted; an expired record, or a reservation
 * abandoned for {@link IDEMPOTENCY_ABANDONED_AFTER_MS}, is overwritten. Anything else is left
 * alone and returned, for the caller to replay or refuse.
 */
export async function reserveIdempotencyKey(
  db: Db,
  input: { organizationId: string; key: string; requestHash: string },
  now = Date.now(),
): Promise<{ reserved: Reservation } | { existing: IdempotencyRecord | undefined }> {
  const createdAt = new Date(now).toISOString();
  const fresh = {
    requestHash: input.requestHash,
    status: null,
    body: null,
    createdAt,
    expiresAt: new Date(now + IDEMPOTENCY_TTL_MS).toISOString(),
  };
  const claimed = await db
    .insert(idempotencyKeys)
    .values({ organizationId: input.organizationId, key: input.key, ...fresh })
    .onConflictDoUpdate({
      target: [idempotencyKeys.organizationId, idempotencyKeys.key],
      set: fresh,
      setWhere: or(
        lte(idempotencyKeys.expiresAt, createdAt),
        and(
          isNull(idempotencyKeys.status),
          lte(idempotencyKeys.createdAt, new Date(now - IDEMPOTENCY_ABANDONED_AFTER_MS).toISOString()),
        ),
      ),
    })
    .returning({ createdAt: idempotencyKeys.createdAt });
  if (claimed[0]?.createdAt === createdAt) {
    return { reserved: { organizationId: input.organizationId, key: input.key, createdAt } };
  }
  const existing = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.organizationId, input.organizationId), eq(idempotencyKeys.key, input.key)))
    .get();
  return { existing };
}

/**
 * The statement that stores the answer on our reservation: for the caller's write batch, or
 * awaited alone. With `onlyIf`, it stores nothing unless that condition holds when it runs.
 */
export function storeResponseStatement(
  db: Db,
  reservation: Reservation,
  response: { status: number; body: string },
  onlyIf?: SQL,
) {
  return db
    .update(idempotencyKeys)
    .set({ status: response.status, body: response.body })
    .where(and(ours(reservation), onlyIf));
}

/** Forgets our reservation (the request failed and did nothing), unless it was finalized. */
export async function releaseIdempotencyKey(db: Db, reservation: Reservation): Promise<void> {
  await db.delete(idempotencyKeys).where(ours(reservation));
}

/**
 * Deletes expired records, `chunk` rows per statement so that no statement runs long,
 * until none is left or `maxChunks` statements have run. Returns how many were deleted.
 *
 * @example await purgeExpiredIdempotencyKeys(getDb(env.DB))
 */
export async function purgeExpiredIdempotencyKeys(
  db: Db,
  now = Date.now(),
  chunk = 5_000,
  maxChunks = 20,
): Promise<number> {
  const cutoff = new Date(now).toISOString();
  let deleted = 0;
  for (let i = 0; i < maxChunks; i++) {
    // No trigger touches this table, so `changes` counts exactly the deleted records.
    const { meta } = await db
      .delete(idempotencyKeys)
      .where(
        sql`rowid IN (SELECT rowid FROM ${idempotencyKeys} WHERE ${idempotencyKeys.expiresAt} <= ${cutoff} LIMIT ${chunk})`,
      )
      .run();
    deleted += meta.changes;
    if (meta.changes < chunk) break;
  }
  return deleted;
}

/**
 * The hook a write service receives so that the final answer of an idempotent request commits in
 * the same D1 batch as the write itself: it returns the statements to append to that batch (none
 * when the request has no `Idempotency-Key`). `onlyIf` gives an SQL condition evaluated inside the
 * batch, after the writes before it; the answer is stored only when it holds. (A function: built
 * only when there is an answer to store, not on every write.)
 *
 * @example
 * const stored = finalize(200, responseBody);
 * await db.batch([...writes, ...stored]);
 */
export type Finalize = (status: number, body: unknown, onlyIf?: () => SQL) => BatchItem<"sqlite">[];

/** The {@link Finalize} of a request without `Idempotency-Key`: nothing to store. */
export const noFinalize: Finalize = () => [];
