import type { Db } from "../../db/client";
import { deleteFile } from "../../db/import-files";
import { expiredImportSessions, importFileKey, purgeImportSession, stalledImportSessions } from "../../db/imports";
import { JSON_MESSAGE } from "../../lib/queue-message";
import { type ImportMessage, STALL_MS } from "./execute";

/** Sessions, and rows per session, that one run deletes: a run stays short; what is left waits a minute. */
const SESSIONS_PER_RUN = 20;
const ROWS_PER_SESSION = 20_000;

/**
 * Every minute (the `scheduled` handler): expired sessions lose their file and then their rows
 * and themselves; executing sessions that made no progress for {@link STALL_MS} (their message
 * was lost) get a new message.
 */
export async function sweepImports(
  deps: { db: Db; bucket: R2Bucket; queue: Queue<ImportMessage> },
  now: number,
): Promise<{ purged: number; resumed: number }> {
  let purged = 0;
  for (const { id } of await expiredImportSessions(deps.db, new Date(now).toISOString(), SESSIONS_PER_RUN)) {
    await deleteFile(deps.bucket, importFileKey(id));
    if (await purgeImportSession(deps.db, id, ROWS_PER_SESSION)) purged++;
  }
  const stalled = await stalledImportSessions(deps.db, new Date(now - STALL_MS).toISOString(), SESSIONS_PER_RUN);
  for (const { id } of stalled) await deps.queue.send({ importSessionId: id }, JSON_MESSAGE);
  return { purged, resumed: stalled.length };
}
