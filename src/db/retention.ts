import { lt, sql } from "drizzle-orm";
import type { Db } from "./client";
import { contacts, webhookDeliveries } from "./schema";

const DAY_MS = 24 * 60 * 60 * 1000;

/** How long what the service keeps is kept (docs/api.md#retention), from `[vars]` in wrangler.toml. */
export interface Retention {
  /** Soft-deleted contacts are hard-deleted this many days after `deletedAt`. */
  deletedDays: number;
  /** Inbound webhook delivery log entries, payloads included, are deleted this many days after `createdAt`. */
  deliveriesDays: number;
}

export const RETENTION_DEFAULTS: Retention = { deletedDays: 30, deliveriesDays: 30 };

/**
 * The retention configured in `RETENTION_DELETED_DAYS` and `RETENTION_DELIVERIES_DAYS` (whole
 * days ≥ 1; unset: 30). A value that is not one throws: a purge must never run on a guess.
 */
export function retentionOf(vars: { RETENTION_DELETED_DAYS?: string; RETENTION_DELIVERIES_DAYS?: string }): Retention {
  const days = (name: string, value: string | undefined, fallback: number) => {
    if (value === undefined || value === "") return fallback;
    if (!/^[1-9]\d{0,5}$/.test(value)) throw new Error(`${name} must be a whole number of days, at least 1`);
    return Number(value);
  };
  return {
    deletedDays: days("RETENTION_DELETED_DAYS", vars.RETENTION_DELETED_DAYS, RETENTION_DEFAULTS.deletedDays),
    deliveriesDays: days(
      "RETENTION_DELIVERIES_DAYS",
      vars.RETENTION_DELIVERIES_DAYS,
      RETENTION_DEFAULTS.deliveriesDays,
    ),
  };
}

/** At most this many rows per statement and this many statements per table and run: 2 × 10 D1 calls, 10,000 rows. */
export const PURGE_LIMITS = { chunk: 500, maxChunks: 10 };

/** The statement that deletes up to `chunk` of the oldest contacts soft-deleted before `cutoff` (index `contacts_deleted`). */
export function purgeDeletedContactsStatement(db: Db, cutoff: string, chunk: number) {
  return db
    .delete(contacts)
    .where(
      sql`${contacts}.rowid IN (SELECT rowid FROM ${contacts} WHERE ${lt(contacts.deletedAt, cutoff)} ORDER BY ${contacts.deletedAt} LIMIT ${chunk})`,
    )
    .returning({ id: contacts.id });
}

/** The statement that deletes up to `chunk` of the oldest delivery log entries made before `cutoff` (index `webhook_deliveries_created`). */
export function purgeDeliveriesStatement(db: Db, cutoff: string, chunk: number) {
  return db
    .delete(webhookDeliveries)
    .where(
      sql`${webhookDeliveries}.rowid IN (SELECT rowid FROM ${webhookDeliveries} WHERE ${lt(webhookDeliveries.createdAt, cutoff)} ORDER BY ${webhookDeliveries.createdAt} LIMIT ${chunk})`,
    )
    .returning({ id: webhookDeliveries.id });
}

/**
 * The retention purge of the scheduled job: soft-deleted contacts past `deletedDays` (their row,
 * and their search index entries through its trigger) and delivery log entries past
 * `deliveriesDays`, oldest first, `chunk` rows per statement, at most `maxChunks` statements per
 * table: bounded work per run, whatever is due; what is left goes at the next run (`more`).
 *
 * @example await purgeRetained(getDb(env.DB), controller.scheduledTime, retentionOf(env))
 */
export async function purgeRetained(
  db: Db,
  now: number,
  retention: Retention,
  { chunk, maxChunks } = PURGE_LIMITS,
): Promise<{ contacts: number; deliveries: number; more: boolean }> {
  const purge = async (statement: (cutoff: string, chunk: number) => Promise<unknown[]>, days: number) => {
    const cutoff = new Date(now - days * DAY_MS).toISOString();
    let deleted = 0;
    for (let i = 0; i < maxChunks; i++) {
      // RETURNING, not meta.changes: the search index's triggers add their own rows to that count.
      const rows = await statement(cutoff, chunk);
      deleted += rows.length;
      if (rows.length < chunk) return { deleted, more: false };
    }
    return { deleted, more: true };
  };
  const purgedContacts = await purge((c, n) => purgeDeletedContactsStatement(db, c, n), retention.deletedDays);
  const purgedDeliveries = await purge((c, n) => purgeDeliveriesStatement(db, c, n), retention.deliveriesDays);
  return {
    contacts: purgedContacts.deleted,
    deliveries: purgedDeliveries.deleted,
    more: purgedContacts.more || purgedDeliveries.more,
  };
}
