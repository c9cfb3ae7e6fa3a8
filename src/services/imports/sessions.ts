import type { Db } from "../../db/client";
import { findImportSession, type ImportSessionRow, importResultsPage } from "../../db/imports";
import { ApiError, type FieldError, notFound } from "../../lib/errors";
import type { ColumnMapping, ImportRowStatus, ImportSession } from "../../schemas/import";
import { pageMetaOf } from "../../schemas/responses";
import { rowValues } from "./rows";

export const importNotFound = () => notFound("Import session");
export const wrongState = (status: string, wanted: string) =>
  new ApiError("INVALID_SESSION_STATE", { message: `The session is ${status}: this call needs it ${wanted}` });

/** The session as the API shows it; `failedRowsUrl` once some row is not imported. */
export function toImportSession(row: ImportSessionRow, baseUrl: string): ImportSession {
  const anyFailed = row.failed > 0 || (row.invalidRows ?? 0) > 0;
  return {
    sessionId: row.id,
    status: row.status,
    fileName: row.fileName,
    totalRows: row.totalRows,
    processedRows: row.processedRows,
    created: row.created,
    updated: row.updated,
    failed: row.failed,
    ...(anyFailed ? { failedRowsUrl: `${baseUrl}/api/contact/ingestion/${row.id}/failed-rows.csv` } : {}),
    expiresAt: row.expiresAt,
  };
}

/** The organization's live session, or 404. */
export async function getImportSession(db: Db, organizationId: string, sessionId: string, now: Date) {
  const session = await findImportSession(db, organizationId, sessionId, now.toISOString());
  if (!session) throw importNotFound();
  return session;
}

/** `GET …/results`: one page of the validation results (none before validation). */
export async function importResults(
  db: Db,
  session: ImportSessionRow,
  query: { page: number; limit: number; filter: string },
) {
  const mappings = JSON.parse(session.columnMappings ?? "[]") as ColumnMapping[];
  const { rows, total } = await importResultsPage(db, session.id, query.filter, query.page, query.limit);
  return {
    data: rows.map((r) => ({
      row: r.line,
      status: r.status as ImportRowStatus,
      values: rowValues(JSON.parse(r.cells) as string[], mappings),
      ...(r.fieldErrors ? { fieldErrors: JSON.parse(r.fieldErrors) as FieldError[] } : {}),
    })),
    meta: pageMetaOf(query.page, query.limit, total),
  };
}
