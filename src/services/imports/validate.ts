import type { Db } from "../../db/client";
import { readFile } from "../../db/import-files";
import {
  deleteImportRows,
  findImportSession,
  type ImportSessionRow,
  importFileKey,
  insertImportRows,
  livePhones,
  markValidated,
  type ValidatedRow,
} from "../../db/imports";
import { type CsvRecord, csvParser, type Separator } from "../../lib/csv";
import { validationError } from "../../lib/errors";
import { fieldError } from "../../lib/validation";
import type { ImportValidateInput } from "../../schemas/import";
import { withOrgContext } from "../org-context";
import { validateRow } from "./rows";
import { importNotFound, wrongState } from "./sessions";

/** Rows validated, classified and stored per round trip. */
export const VALIDATE_CHUNK = 1000;

/** The session's records, as its file streams out of R2 (the header row skipped). */
async function* records(bucket: R2Bucket, session: ImportSessionRow): AsyncGenerator<CsvRecord> {
  const body = await readFile(bucket, importFileKey(session.id));
  // Uploaded, then gone from R2 before expiring: only the sweep deletes files, after the session.
  if (!body) throw importNotFound();
  const parser = csvParser(session.separator as Separator);
  const decoder = new TextDecoder();
  let skip = session.hasHeaderRow ? 1 : 0;
  const emit = function* (out: CsvRecord[]) {
    for (const record of out) {
      if (skip > 0) skip--;
      else yield record;
    }
  };
  const reader = body.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    yield* emit(parser.push(decoder.decode(read.value, { stream: true })));
  }
  yield* emit([...parser.push(decoder.decode()), ...parser.end()]);
}

/**
 * `POST /api/contact/ingestion/validate` (docs/import.md#validate): every row validated like an
 * upsert item and classified by phone (`existing` when a live contact, or an earlier valid row of
 * the file, holds it: the upsert would merge it), stored for the results and for execution.
 * The file was read whole at upload, so it parses here as it did then.
 */
export async function validateImport(
  deps: { db: Db; bucket: R2Bucket },
  organizationId: string,
  input: ImportValidateInput,
  now: Date,
) {
  const { db } = deps;
  const session = await findImportSession(db, organizationId, input.sessionId, now.toISOString());
  if (!session) throw importNotFound();
  if (session.status !== "uploaded" && session.status !== "validated") {
    throw wrongState(session.status, "uploaded or validated");
  }
  const columnCount = (JSON.parse(session.columns) as unknown[]).length;
  const outside = input.columnMappings.flatMap(({ column }, i) =>
    column >= columnCount ? [fieldError(`columnMappings.${i}.column`, "noSuchColumn")] : [],
  );
  if (outside.length > 0) throw validationError(outside);

  const mappings = input.columnMappings;
  const seen = new Set<string>();
  const counts = { validRows: 0, invalidRows: 0, newRows: 0, existingRows: 0 };
  await withOrgContext(db, organizationId, async (org) => {
    // What an earlier validation (or one that stopped half-way) stored.
    await deleteImportRows(db, session.id);
    let seq = 0;
    let chunk: ValidatedRow[] = [];
    const flush = async () => {
      const phones = chunk.flatMap((r) => (r.phone ? [r.phone] : []));
      const live = await livePhones(db, organizationId, phones);
      for (const row of chunk) {
        if (row.status === "invalid") continue;
        const phone = row.phone as string;
        row.status = live.has(phone) || seen.has(phone) ? "existing" : "valid";
        seen.add(phone);
        counts[row.status === "existing" ? "existingRows" : "newRows"]++;
      }
      await insertImportRows(db, session.id, chunk);
      chunk = [];
    };
    for await (const record of records(deps.bucket, session)) {
      const result = await validateRow(record.cells, mappings, org);
      chunk.push(
        result.ok
          ? { seq, line: record.line, status: "valid", cells: record.cells, phone: result.input.primaryPhone }
          : { seq, line: record.line, status: "invalid", cells: record.cells, fieldErrors: result.fieldErrors },
      );
      seq++;
      if (result.ok) counts.validRows++;
      else counts.invalidRows++;
      if (chunk.length === VALIDATE_CHUNK) await flush();
    }
    await flush();
  });
  if (!(await markValidated(db, session.id, mappings, counts, now.toISOString()))) {
    throw wrongState("no longer uploaded or validated", "uploaded or validated");
  }
  return { sessionId: session.id, status: "validated" as const, totalRows: session.totalRows, ...counts };
}
