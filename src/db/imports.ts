import { and, asc, count, eq, gt, inArray, isNull, lt, ne, or, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { FieldError } from "../lib/errors";
import type { ImportRowStatus } from "../schemas/import";
import type { Db } from "./client";
import { liveWithPhones } from "./contacts";
import { abortWith } from "./failures";
import { contacts, importRows, importSessions } from "./schema";

export type ImportSessionRow = typeof importSessions.$inferSelect;
export type NewImportSession = typeof importSessions.$inferInsert;

/** Where a session's file is in R2. */
export const importFileKey = (sessionId: string) => `imports/${sessionId}.csv`;

export async function insertImportSession(db: Db, row: NewImportSession): Promise<void> {
  await db.insert(importSessions).values(row);
}

/**
 * The organization's session, unless it has expired (an executing session never does): an
 * expired session is gone for the API at once, whenever the sweep deletes it.
 */
export async function findImportSession(
  db: Db,
  organizationId: string,
  sessionId: string,
  now: string,
): Promise<ImportSessionRow | undefined> {
  const [row] = await db
    .select()
    .from(importSessions)
    .where(
      and(
        eq(importSessions.id, sessionId),
        eq(importSessions.organizationId, organizationId),
        or(gt(importSessions.expiresAt, now), eq(importSessions.status, "executing")),
      ),
    );
  return row;
}

/** For the queue consumer, which has no organization of its own: the message names the session. */
export async function findImportSessionById(db: Db, sessionId: string): Promise<ImportSessionRow | undefined> {
  const [row] = await db.select().from(importSessions).where(eq(importSessions.id, sessionId));
  return row;
}

/** The live contacts' phones among `phones` (E.164): one statement, one parameter. */
export async function livePhones(db: Db, organizationId: string, phones: string[]): Promise<Set<string>> {
  if (phones.length === 0) return new Set();
  const rows = await db
    .select({ phone: contacts.primaryPhone })
    .from(contacts)
    .where(liveWithPhones(organizationId, phones));
  return new Set(rows.map((r) => r.phone));
}

export interface ValidatedRow {
  seq: number;
  line: number;
  status: ImportRowStatus;
  cells: string[];
  fieldErrors?: FieldError[];
  /** The phone in E.164, for a valid row (not stored: classification only). */
  phone?: string;
}

/** Rows of one validation chunk, in one statement (one JSON parameter, whatever their number). */
export async function insertImportRows(db: Db, sessionId: string, rows: ValidatedRow[]): Promise<void> {
  if (rows.length === 0) return;
  const json = JSON.stringify(
    rows.map((r) => ({
      s: r.seq,
      l: r.line,
      t: r.status,
      c: JSON.stringify(r.cells),
      e: r.fieldErrors ? JSON.stringify(r.fieldErrors) : null,
    })),
  );
  await db.run(sql`INSERT INTO ${importRows} ("session_id", "seq", "line", "status", "cells", "field_errors")
    SELECT ${sessionId}, value ->> '$.s', value ->> '$.l', value ->> '$.t', value ->> '$.c', value ->> '$.e'
    FROM json_each(${json})`);
}

/** Drops what an earlier validation of the session stored (a session may be validated again). */
export async function deleteImportRows(db: Db, sessionId: string): Promise<void> {
  await db.delete(importRows).where(eq(importRows.sessionId, sessionId));
}

export interface ValidationCounts {
  validRows: number;
  invalidRows: number;
  newRows: number;
  existingRows: number;
}

/** `uploaded`/`validated` → `validated`; false when the session left those states meanwhile. */
export async function markValidated(
  db: Db,
  sessionId: string,
  columnMappings: unknown,
  counts: ValidationCounts,
  now: string,
): Promise<boolean> {
  const rows = await db
    .update(importSessions)
    .set({ status: "validated", columnMappings: JSON.stringify(columnMappings), ...counts, updatedAt: now })
    .where(and(eq(importSessions.id, sessionId), inArray(importSessions.status, ["uploaded", "validated"])))
    .returning({ id: importSessions.id });
  return rows.length === 1;
}

const RESULT_STATUSES: Record<string, ImportRowStatus[]> = {
  valid: ["valid", "existing"],
  invalid: ["invalid"],
  existing: ["existing"],
};

/** One page of the validation results, in file order, and how many rows the filter holds. */
export async function importResultsPage(db: Db, sessionId: string, filter: string, page: number, limit: number) {
  const statuses = RESULT_STATUSES[filter];
  const where = and(eq(importRows.sessionId, sessionId), statuses ? inArray(importRows.status, statuses) : undefined);
  const [rows, [total]] = await db.batch([
    db
      .select({
        line: importRows.line,
        status: importRows.status,
        cells: importRows.cells,
        fieldErrors: importRows.fieldErrors,
      })
      .from(importRows)
      .where(where)
      .orderBy(asc(importRows.seq))
      .limit(limit)
      .offset((page - 1) * limit),
    db.select({ n: count() }).from(importRows).where(where),
  ]);
  return { rows, total: total?.n ?? 0 };
}

/**
 * `validated` → `executing`: the invalid rows count as processed and failed from the start, so
 * that `processedRows` ends at `totalRows`. Undefined when the session was not `validated` (or expired).
 */
export async function startExecution(
  db: Db,
  organizationId: string,
  sessionId: string,
  now: string,
): Promise<ImportSessionRow | undefined> {
  const [row] = await db
    .update(importSessions)
    .set({
      status: "executing",
      processedRows: sql`${importSessions.invalidRows}`,
      failed: sql`${importSessions.invalidRows}`,
      updatedAt: now,
    })
    .where(
      and(
        eq(importSessions.id, sessionId),
        eq(importSessions.organizationId, organizationId),
        eq(importSessions.status, "validated"),
        gt(importSessions.expiresAt, now),
      ),
    )
    .returning();
  return row;
}

/** The next valid rows that execution has not written, in file order. */
export async function pendingImportRows(db: Db, sessionId: string, limit: number) {
  return db
    .select({ seq: importRows.seq, line: importRows.line, cells: importRows.cells })
    .from(importRows)
    .where(and(eq(importRows.sessionId, sessionId), isNull(importRows.outcome), ne(importRows.status, "invalid")))
    .orderBy(asc(importRows.seq))
    .limit(limit);
}

export interface RowOutcome {
  seq: number;
  outcome: "imported" | "failed";
  fieldErrors?: FieldError[];
}

/**
 * The statements that record a chunk's outcome, for the batch that writes its contacts: first a
 * guard that aborts the batch when another consumer recorded any of these rows already (a
 * redelivered message), then each row's outcome, then the session's counters.
 */
export function recordChunk(
  db: Db,
  sessionId: string,
  outcomes: RowOutcome[],
  counts: { created: number; updated: number },
  now: string,
): { guard: BatchItem<"sqlite">; record: BatchItem<"sqlite">[] } {
  const seqs = JSON.stringify(outcomes.map((o) => o.seq));
  const failures = outcomes.filter((o) => o.outcome === "failed");
  const failedJson = JSON.stringify(failures.map((o) => ({ s: o.seq, e: JSON.stringify(o.fieldErrors ?? []) })));
  const inChunk = (json: string) => sql`${importRows.seq} IN (SELECT value FROM json_each(${json}))`;
  const failed = failures.length;
  return {
    guard: db
      .select({ abort: abortWith("import-rows-taken", sql`${importRows.seq}`) })
      .from(importRows)
      .where(and(eq(importRows.sessionId, sessionId), inChunk(seqs), sql`${importRows.outcome} IS NOT NULL`)),
    record: [
      db
        .update(importRows)
        .set({ outcome: "imported" })
        .where(and(eq(importRows.sessionId, sessionId), inChunk(seqs))),
      // Few rows fail: each finds its errors in the (small) list of failures.
      db
        .update(importRows)
        .set({
          outcome: "failed",
          fieldErrors: sql`(SELECT value ->> '$.e' FROM json_each(${failedJson}) WHERE value ->> '$.s' = ${importRows.seq})`,
        })
        .where(
          and(
            eq(importRows.sessionId, sessionId),
            sql`${importRows.seq} IN (SELECT value ->> '$.s' FROM json_each(${failedJson}))`,
          ),
        ),
      db
        .update(importSessions)
        .set({
          processedRows: sql`${importSessions.processedRows} + ${outcomes.length}`,
          created: sql`${importSessions.created} + ${counts.created}`,
          updated: sql`${importSessions.updated} + ${counts.updated}`,
          failed: sql`${importSessions.failed} + ${failed}`,
          updatedAt: now,
        })
        .where(eq(importSessions.id, sessionId)),
    ],
  };
}

/** `executing` → `executed` (or `failed`), readable until `expiresAt`. */
export async function finishExecution(
  db: Db,
  sessionId: string,
  status: "executed" | "failed",
  now: string,
  expiresAt: string,
): Promise<void> {
  await db
    .update(importSessions)
    .set({ status, updatedAt: now, expiresAt })
    .where(and(eq(importSessions.id, sessionId), eq(importSessions.status, "executing")));
}

/** The rows not imported (invalid, or failed at execution), after `afterSeq`, in file order. */
export async function failedImportRows(db: Db, sessionId: string, afterSeq: number, limit: number) {
  return db
    .select({ seq: importRows.seq, cells: importRows.cells, fieldErrors: importRows.fieldErrors })
    .from(importRows)
    .where(
      and(
        eq(importRows.sessionId, sessionId),
        gt(importRows.seq, afterSeq),
        or(eq(importRows.status, "invalid"), eq(importRows.outcome, "failed")),
      ),
    )
    .orderBy(asc(importRows.seq))
    .limit(limit);
}

/** Sessions past their `expiresAt` (never an executing one), oldest first. */
export async function expiredImportSessions(db: Db, now: string, limit: number) {
  return db
    .select({ id: importSessions.id })
    .from(importSessions)
    .where(and(lt(importSessions.expiresAt, now), ne(importSessions.status, "executing")))
    .orderBy(asc(importSessions.expiresAt))
    .limit(limit);
}

/**
 * Deletes up to `limit` rows of the session, then the session itself once it has none left:
 * a 500,000-row session is deleted over several runs, never in one long statement.
 * @returns whether the session is gone.
 */
export async function purgeImportSession(db: Db, sessionId: string, limit: number): Promise<boolean> {
  const [, gone] = await db.batch([
    db
      .delete(importRows)
      .where(sql`rowid IN (SELECT rowid FROM ${importRows} WHERE "session_id" = ${sessionId} LIMIT ${limit})`),
    db
      .delete(importSessions)
      .where(
        and(
          eq(importSessions.id, sessionId),
          sql`NOT EXISTS (SELECT 1 FROM ${importRows} WHERE "session_id" = ${sessionId})`,
        ),
      )
      .returning({ id: importSessions.id }),
  ]);
  return gone.length === 1;
}

/** Executing sessions whose last progress is older than `before`: their queue message was lost. */
export async function stalledImportSessions(db: Db, before: string, limit: number) {
  return db
    .select({ id: importSessions.id })
    .from(importSessions)
    .where(and(eq(importSessions.status, "executing"), lt(importSessions.updatedAt, before)))
    .limit(limit);
}
