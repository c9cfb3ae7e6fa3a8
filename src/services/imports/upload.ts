import type { Db } from "../../db/client";
import { type FileWriter, r2FileWriter } from "../../db/import-files";
import { importFileKey, insertImportSession } from "../../db/imports";
import { CsvError, type CsvRecord, csvParser } from "../../lib/csv";
import { ApiError, type FieldError, validationError } from "../../lib/errors";
import { uuidv7 } from "../../lib/ids";
import { MultipartError, readMultipart } from "../../lib/multipart";
import { fieldError } from "../../lib/validation";
import { IMPORT_LIMITS } from "../../schemas/import";

export interface UploadAnswer {
  sessionId: string;
  fileName: string;
  totalRows: number;
  columnCount: number;
  columns: { index: number; name: string }[];
  previewRows: Record<string, string>[];
  status: "uploaded";
  expiresAt: string;
}

const fileError = (code: string, message: string): FieldError => ({ path: "file", code, message: `file ${message}` });
const tooLarge = (message: string) => new ApiError("PAYLOAD_TOO_LARGE", { message });
const formError = (path: string, code: string) => validationError([fieldError(path, code)]);

/** `hasHeaderRow` and `previewRows`, as a form sends them (text). */
function readOptions(fields: Map<string, string>) {
  const errors: FieldError[] = [];
  const header = fields.get("hasHeaderRow")?.trim().toLowerCase() ?? "false";
  if (header !== "true" && header !== "false") errors.push(fieldError("hasHeaderRow", "notTrueOrFalse"));
  const preview = fields.get("previewRows")?.trim() ?? "20";
  const previewRows = /^\d{1,3}$/.test(preview) ? Number(preview) : Number.NaN;
  if (!(previewRows >= 1 && previewRows <= IMPORT_LIMITS.previewRows))
    errors.push(fieldError("previewRows", "previewRowsRange"));
  if (errors.length > 0) throw validationError(errors);
  return { hasHeaderRow: header === "true", previewRows };
}

/**
 * The file part, as it arrives: every byte goes on to R2 and through the decoder into the CSV
 * parser, which keeps only the count of records, the widest record, and the first ones (header
 * and preview). A broken file stops the upload at once, naming the line.
 */
function fileReader(writer: FileWriter) {
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
  const parser = csvParser();
  const first: CsvRecord[] = [];
  let records = 0;
  let columnCount = 0;
  let bytes = 0;
  const take = (out: CsvRecord[]) => {
    for (const record of out) {
      records++;
      if (record.cells.length > columnCount) columnCount = record.cells.length;
      if (first.length <= IMPORT_LIMITS.previewRows) first.push(record);
    }
    // One more than the limit: the header row may be among them.
    if (records > IMPORT_LIMITS.rows + 1) throw tooLarge(`The file has more than ${IMPORT_LIMITS.rows} rows`);
  };
  const decode = (data: Uint8Array, stream: boolean) => {
    try {
      return decoder.decode(data, { stream });
    } catch {
      // The line of the first bad byte: the lines before it in this chunk, read leniently.
      const before = new TextDecoder().decode(data).split("\uFFFD")[0] ?? "";
      const line = parser.line + (before.match(/\n/g)?.length ?? 0);
      throw validationError([fileError("invalidEncoding", `line ${line}: the bytes are not UTF-8 text`)]);
    }
  };
  const parse = (step: () => CsvRecord[]) => {
    try {
      take(step());
    } catch (err) {
      if (err instanceof CsvError) throw validationError([fileError(err.code, err.message)]);
      throw err;
    }
  };
  return {
    async data(chunk: Uint8Array) {
      bytes += chunk.length;
      if (bytes > IMPORT_LIMITS.bytes) throw tooLarge(`The file is over ${IMPORT_LIMITS.bytes / 1024 / 1024} MB`);
      await writer.write(chunk);
      const text = decode(chunk, true);
      parse(() => parser.push(text));
    },
    end() {
      const text = decode(new Uint8Array(), false);
      parse(() => [...parser.push(text), ...parser.end()]);
      return { records, columnCount, first, bytes, separator: parser.separator ?? "," };
    },
  };
}

const MAX_FORM_FIELD = 100;

/**
 * `POST /api/contact/ingestion/upload` (docs/import.md#upload): reads the form as it streams,
 * stores the file in R2 and its session in D1.
 */
export async function uploadFile(
  deps: { db: Db; bucket: R2Bucket },
  organizationId: string,
  body: ReadableStream<Uint8Array>,
  boundary: string,
  now: Date,
): Promise<UploadAnswer> {
  const sessionId = uuidv7(now.getTime());
  const key = importFileKey(sessionId);
  const fields = new Map<string, string>();
  const writer = r2FileWriter(deps.bucket, key, "text/csv; charset=utf-8");
  let file: ReturnType<typeof fileReader> | undefined;
  let fileName = "";
  let result: ReturnType<ReturnType<typeof fileReader>["end"]> | undefined;
  let current: string | undefined;
  let fieldText = "";
  const textDecoder = new TextDecoder();
  try {
    await readMultipart(body, boundary, {
      part({ name, filename }) {
        current = name;
        fieldText = "";
        if (name === "file") {
          if (file) throw formError("file", "duplicateFile");
          file = fileReader(writer);
          fileName = (filename ?? "").slice(0, 255) || "upload.csv";
        } else if (name !== "hasHeaderRow" && name !== "previewRows") {
          throw formError(name.slice(0, 64) || "body", "unknownFormField");
        }
      },
      async data(bytes) {
        if (current === "file") return file?.data(bytes);
        fieldText += textDecoder.decode(bytes, { stream: true });
        if (fieldText.length > MAX_FORM_FIELD) throw formError(current ?? "body", "formFieldTooLong");
      },
      partEnd() {
        if (current === "file") result = file?.end();
        else if (current) fields.set(current, fieldText + textDecoder.decode());
        current = undefined;
      },
    });
    if (!result) throw formError("file", "missingFile");
    const options = readOptions(fields);
    const totalRows = result.records - (options.hasHeaderRow ? 1 : 0);
    if (totalRows <= 0) throw formError("file", "emptyFile");
    if (totalRows > IMPORT_LIMITS.rows) throw tooLarge(`The file has more than ${IMPORT_LIMITS.rows} rows`);
    await writer.close();

    const header = options.hasHeaderRow ? result.first[0]?.cells : undefined;
    const columns = Array.from({ length: result.columnCount }, (_, index) => ({
      index,
      name: header?.[index]?.trim() || `Column ${index + 1}`,
    }));
    const previewRows = result.first
      .slice(options.hasHeaderRow ? 1 : 0)
      .slice(0, options.previewRows)
      .map((record) => Object.fromEntries(columns.map(({ index }) => [String(index), record.cells[index] ?? ""])));
    const at = now.toISOString();
    const expiresAt = new Date(now.getTime() + IMPORT_LIMITS.uploadTtlMs).toISOString();
    try {
      await insertImportSession(deps.db, {
        id: sessionId,
        organizationId,
        status: "uploaded",
        fileName,
        fileBytes: result.bytes,
        separator: result.separator,
        hasHeaderRow: options.hasHeaderRow,
        totalRows,
        columns: JSON.stringify(columns),
        createdAt: at,
        updatedAt: at,
        expiresAt,
      });
    } catch (err) {
      await deps.bucket.delete(key).catch(() => {});
      throw err;
    }
    return {
      sessionId,
      fileName,
      totalRows,
      columnCount: result.columnCount,
      columns,
      previewRows,
      status: "uploaded",
      expiresAt,
    };
  } catch (err) {
    await writer.abort();
    if (err instanceof MultipartError) throw validationError([fieldError("body", "invalidMultipart")]);
    throw err;
  }
}
