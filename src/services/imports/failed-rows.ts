import type { Db } from "../../db/client";
import { failedImportRows, type ImportSessionRow } from "../../db/imports";
import { csvLine, type Separator } from "../../lib/csv";
import type { FieldError } from "../../lib/errors";

const PAGE = 1000;

/** The `error` cell: each failure's message, as the API words it (never the value). */
const errorCell = (json: string | null) =>
  json ? (JSON.parse(json) as FieldError[]).map((e) => e.message).join("; ") : "";

/**
 * `GET …/failed-rows.csv`: the rows not imported, as uploaded (same separator, the header row
 * first when the file had one), each with an `error` column; streamed page by page from D1.
 */
export function failedRowsCsv(db: Db, session: ImportSessionRow): ReadableStream<Uint8Array> {
  const separator = session.separator as Separator;
  const columns = JSON.parse(session.columns) as { name: string }[];
  const encoder = new TextEncoder();
  let after = -1;
  let headerSent = !session.hasHeaderRow;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(csvLine([...columns.map((c) => c.name), "error"], separator)));
        return;
      }
      const rows = await failedImportRows(db, session.id, after, PAGE);
      if (rows.length === 0) return controller.close();
      after = rows[rows.length - 1]?.seq ?? after;
      const cells = (json: string) => {
        const row = JSON.parse(json) as string[];
        // Every line as wide as the file, so the error column lines up.
        return Array.from({ length: columns.length }, (_, i) => row[i] ?? "");
      };
      const text = rows.map((r) => csvLine([...cells(r.cells), errorCell(r.fieldErrors)], separator)).join("");
      controller.enqueue(encoder.encode(text));
    },
  });
}
