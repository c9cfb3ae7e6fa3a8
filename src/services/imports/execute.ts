import type { Db } from "../../db/client";
import { classifyD1Failure } from "../../db/failures";
import { deleteFile } from "../../db/import-files";
import {
  findImportSession,
  findImportSessionById,
  finishExecution,
  type ImportSessionRow,
  importFileKey,
  pendingImportRows,
  type RowOutcome,
  recordChunk,
  startExecution,
} from "../../db/imports";
import { ApiError, type FieldError } from "../../lib/errors";
import { log } from "../../lib/log";
import { JSON_MESSAGE } from "../../lib/queue-message";
import type { ContactCreateInput } from "../../schemas/contact";
import { type ColumnMapping, IMPORT_LIMITS } from "../../schemas/import";
import { createOutbox, type EventMessage } from "../events/outbox";
import { withOrgContext } from "../org-context";
import { upsertContacts } from "../upsert";
import { validateRow } from "./rows";
import { importNotFound, wrongState } from "./sessions";

/** The queue message of an executing session: "write its next rows". */
export interface ImportMessage {
  importSessionId: string;
}

/** Rows per atomic batch: the upsert's own maximum. */
export const EXECUTE_CHUNK = 1000;
/** A message works this long, then hands the rest of the session to a new message. */
const SLICE_MS = 10_000;
/** An executing session with no progress for this long lost its message: the sweep sends another. */
export const STALL_MS = 2 * 60_000;

/**
 * `POST /api/contact/ingestion/execute`: `validated` → `executing`, and the first message to the
 * queue. Should the send be lost, the sweep finds the session stalled and sends it again.
 */
export async function executeImport(
  deps: { db: Db; queue: Queue<ImportMessage> },
  organizationId: string,
  sessionId: string,
  now: Date,
): Promise<ImportSessionRow> {
  const at = now.toISOString();
  const started = await startExecution(deps.db, organizationId, sessionId, at);
  if (!started) {
    const session = await findImportSession(deps.db, organizationId, sessionId, at);
    if (!session) throw importNotFound();
    throw wrongState(session.status, "validated");
  }
  try {
    await deps.queue.send({ importSessionId: sessionId }, JSON_MESSAGE);
  } catch (err) {
    log("warn", { event: "import_send_failed", error: err instanceof Error ? err.name : typeof err });
  }
  return started;
}

/** The index `i` of a field error keyed `<i>.<field>` by the upsert's merge. */
const itemOf = (error: FieldError) => Number(error.path.slice(0, error.path.indexOf(".")));

/**
 * Writes one chunk: the rows are validated again (definitions may have changed since validation;
 * a row that no longer passes fails with its errors), then upserted with the chunk's outcome and
 * counters in the SAME batch, guarded so that a chunk already written by a redelivered message
 * aborts instead of writing twice. A row the merge refuses (too many attributes once merged)
 * fails alone; the others are written.
 * @returns false when the session has no row left to write.
 */
async function writeChunk(db: Db, session: ImportSessionRow, events: Queue<EventMessage>): Promise<boolean> {
  const rows = await pendingImportRows(db, session.id, EXECUTE_CHUNK);
  if (rows.length === 0) return false;
  const mappings = JSON.parse(session.columnMappings ?? "[]") as ColumnMapping[];
  const outbox = createOutbox(db);
  const emit = outbox.emitter(session.organizationId);
  try {
    await withOrgContext(db, session.organizationId, async (org) => {
      const failed = new Map<number, FieldError[]>();
      const valid: { seq: number; input: ContactCreateInput }[] = [];
      for (const row of rows) {
        const result = await validateRow(JSON.parse(row.cells) as string[], mappings, org);
        if (result.ok) valid.push({ seq: row.seq, input: result.input });
        else failed.set(row.seq, result.fieldErrors);
      }
      for (;;) {
        const at = new Date().toISOString();
        const outcomes: RowOutcome[] = rows.map(({ seq }) => {
          const fieldErrors = failed.get(seq);
          return fieldErrors ? { seq, outcome: "failed", fieldErrors } : { seq, outcome: "imported" };
        });
        const written = valid.filter(({ seq }) => !failed.has(seq));
        const chunk = (counts: { created: number; updated: number }) =>
          recordChunk(db, session.id, outcomes, counts, at);
        if (written.length === 0) {
          const { guard, record } = chunk({ created: 0, updated: 0 });
          await db.batch([guard, ...record]);
          return;
        }
        try {
          await upsertContacts(
            db,
            session.organizationId,
            written.map((w) => w.input),
            (_status, body) => {
              const { meta } = body as { meta: { created: number; updated: number } };
              return chunk(meta).record;
            },
            [chunk({ created: 0, updated: 0 }).guard, ...org.writeGuards()],
            (i) => `${i}.`,
            emit,
          );
          return;
        } catch (err) {
          if (!(err instanceof ApiError && err.code === "VALIDATION_FAILED")) throw err;
          for (const error of err.fieldErrors) {
            const item = written[itemOf(error)];
            if (!item) throw err;
            const path = error.path.slice(error.path.indexOf(".") + 1);
            failed.set(item.seq, [...(failed.get(item.seq) ?? []), { ...error, path }]);
          }
        }
      }
    });
  } catch (err) {
    const failure = classifyD1Failure(err);
    // Another message wrote these rows first: read the next ones.
    if (failure?.kind === "guard" && failure.guard === "import-rows-taken") return true;
    throw err;
  }
  await outbox.dispatch(db, events);
  return true;
}

/** `executing` → `executed`: the file is deleted; the session stays readable for its failed rows. */
async function finish(db: Db, bucket: R2Bucket, session: ImportSessionRow): Promise<void> {
  const now = Date.now();
  const expiresAt = new Date(now + IMPORT_LIMITS.executedTtlMs).toISOString();
  await finishExecution(db, session.id, "executed", new Date(now).toISOString(), expiresAt);
  // A lost delete is made good by the sweep of the expired session.
  await deleteFile(bucket, importFileKey(session.id)).catch(() => {});
}

export interface ImportDeps {
  db: Db;
  bucket: R2Bucket;
  queue: Queue<ImportMessage>;
  events: Queue<EventMessage>;
}

/**
 * One queue message: writes chunks of the session for up to {@link SLICE_MS}, then either
 * finishes it or sends the next message. Every step reads its state from D1, so a redelivered,
 * duplicated or late message does no harm.
 */
export async function runImportMessage(deps: ImportDeps, message: ImportMessage): Promise<void> {
  const started = Date.now();
  const session = await findImportSessionById(deps.db, message.importSessionId);
  if (session?.status !== "executing") return;
  while (Date.now() - started < SLICE_MS) {
    if (!(await writeChunk(deps.db, session, deps.events))) return finish(deps.db, deps.bucket, session);
  }
  await deps.queue.send({ importSessionId: session.id }, JSON_MESSAGE);
}

/** After the queue's last retry: the session stops as `failed`, its rows so far written. */
export async function failImport(deps: ImportDeps, message: ImportMessage): Promise<void> {
  const now = Date.now();
  const expiresAt = new Date(now + IMPORT_LIMITS.executedTtlMs).toISOString();
  await finishExecution(deps.db, message.importSessionId, "failed", new Date(now).toISOString(), expiresAt);
  await deleteFile(deps.bucket, importFileKey(message.importSessionId)).catch(() => {});
  log("error", { event: "import_failed", importSessionId: message.importSessionId });
}

/** The import queue's batch (one message at a time): retried with backoff, failed after the last retry. */
export async function handleImportBatch(batch: MessageBatch<ImportMessage>, deps: ImportDeps): Promise<void> {
  for (const message of batch.messages) {
    try {
      await runImportMessage(deps, message.body);
      message.ack();
    } catch (err) {
      log("warn", {
        event: "import_chunk_failed",
        importSessionId: message.body.importSessionId,
        attempt: message.attempts,
        error: err instanceof Error ? err.name : typeof err,
      });
      if (message.attempts >= MAX_IMPORT_ATTEMPTS) {
        await failImport(deps, message.body);
        message.ack();
      } else message.retry({ delaySeconds: Math.min(2 ** message.attempts, 60) });
    }
  }
}

/** Below the consumer's `max_retries` (wrangler.toml), so the session is marked, not dropped. */
export const MAX_IMPORT_ATTEMPTS = 8;
