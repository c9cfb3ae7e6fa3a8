/**
 * A streaming CSV reader and writer (RFC 4180, as spreadsheets write it): `,` or `;` between
 * fields, fields in double quotes may hold separators, line breaks and doubled quotes, lines end
 * in CRLF or LF. Text arrives in chunks of any size, cut anywhere; records come out as soon as
 * they are complete, so a 50 MB file is never held whole. Written here rather than taken from a
 * library: the maintained ones are Node-stream based (csv-parse) or buffer-and-callback (Papa
 * Parse) and cost the Worker more than these ~150 lines; `test/lib/csv.test.ts` checks this one
 * against csv-parse on generated files.
 */

export type Separator = "," | ";";

/** One record: its cells, and the 1-based line of the file where it starts. */
export interface CsvRecord {
  line: number;
  cells: string[];
}

export type CsvErrorCode = "unclosedQuote" | "textAfterQuote" | "fieldTooLong" | "tooManyColumns" | "binaryFile";

const MESSAGES: Record<CsvErrorCode, string> = {
  unclosedQuote: "a quoted field is never closed",
  textAfterQuote: "a closing quote must be followed by a separator or the end of the line",
  fieldTooLong: "a field is longer than 65,536 characters",
  tooManyColumns: "a line has more than 1,000 fields",
  binaryFile: "the file holds a NUL character: it is not a text file",
};

/** A file that is not CSV; the message names the line and never quotes the file. */
export class CsvError extends Error {
  constructor(
    readonly code: CsvErrorCode,
    readonly line: number,
  ) {
    super(`line ${line}: ${MESSAGES[code]}`);
    this.name = "CsvError";
  }
}

export const MAX_FIELD_LENGTH = 65_536;
export const MAX_COLUMNS = 1_000;

const QUOTE = 34;
const CR = 13;
const LF = 10;
const NUL = 0;

/**
 * `,` unless the first line (outside quotes) holds more `;` than `,`: how spreadsheets set to a
 * locale whose decimal mark is a comma write CSV.
 */
export function detectSeparator(firstLine: string): Separator {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === ",") commas++;
    else if (!quoted && ch === ";") semicolons++;
  }
  return semicolons > commas ? ";" : ",";
}

/** Where the first line ends (outside quotes), or -1 when `text` does not hold a whole line yet. */
function firstLineEnd(text: string): number {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) quoted = !quoted;
    else if (!quoted && (c === LF || c === CR)) return i;
  }
  return -1;
}

type State = "start" | "unquoted" | "quoted" | "quoteInQuoted" | "afterCr";

/**
 * Feed it text with `push` (any cut), then call `end`; each returns the records completed.
 * Blank lines are skipped. A BOM is the decoder's business (`TextDecoder` drops it).
 *
 * @example const p = csvParser(); const rows = [...p.push('a;b\r\n"x\ny";2\n'), ...p.end()];
 * // [{ line: 1, cells: ["a", "b"] }, { line: 2, cells: ["x\ny", "2"] }]
 */
export function csvParser(separator?: Separator) {
  let sep = separator?.charCodeAt(0);
  let pending = ""; // text held until the separator is known
  let state: State = "start";
  let field = "";
  let cells: string[] = [];
  let line = 1; // the line being read
  let recordLine = 1; // where the current record started
  let fieldLine = 1; // where the current field started (for an unclosed quote)
  let quotedRecord = false; // the record being read has a quoted field
  let crInQuotes = false; // the last character read inside quotes was a CR (CRLF counts one line)

  const addToField = (text: string) => {
    if (field.length + text.length > MAX_FIELD_LENGTH) throw new CsvError("fieldTooLong", fieldLine);
    field += text;
  };
  const endField = () => {
    if (cells.length === MAX_COLUMNS) throw new CsvError("tooManyColumns", recordLine);
    cells.push(field);
    field = "";
  };
  const endRecord = (out: CsvRecord[]) => {
    endField();
    // A blank line is one empty field: skipped (`""` alone is a record of one empty field).
    if (cells.length > 1 || cells[0] !== "" || quotedRecord) out.push({ line: recordLine, cells });
    cells = [];
    quotedRecord = false;
  };

  function scan(text: string, out: CsvRecord[]) {
    const s = sep as number;
    let from = 0; // start of the unconsumed run of plain characters
    let i = 0;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === NUL) throw new CsvError("binaryFile", line);
      if (state === "afterCr") {
        state = "start";
        if (c === LF) {
          from = i + 1;
          continue;
        }
        // A lone CR ends a line too: this character starts the next one.
      }
      if (state === "start") {
        if (cells.length === 0 && field === "") recordLine = line;
        fieldLine = line;
        if (c === QUOTE) {
          state = "quoted";
          crInQuotes = false;
          quotedRecord = true;
          from = i + 1;
          continue;
        }
        state = "unquoted";
        from = i;
      }
      if (state === "unquoted") {
        if (c === s) {
          addToField(text.slice(from, i));
          endField();
          state = "start";
        } else if (c === LF || c === CR) {
          addToField(text.slice(from, i));
          endRecord(out);
          line++;
          state = c === CR ? "afterCr" : "start";
        }
        // A quote inside an unquoted field (`5" screen`) is kept as it is, as spreadsheets do.
      } else if (state === "quoted") {
        if (c === QUOTE) {
          addToField(text.slice(from, i));
          state = "quoteInQuoted";
        } else if (c === CR || (c === LF && !crInQuotes)) line++;
        crInQuotes = c === CR;
      } else if (c === QUOTE) {
        // quoteInQuoted: `""` is one quote inside the field.
        addToField('"');
        state = "quoted";
        from = i + 1;
      } else if (c === s) {
        endField();
        state = "start";
      } else if (c === LF || c === CR) {
        endRecord(out);
        line++;
        state = c === CR ? "afterCr" : "start";
      } else throw new CsvError("textAfterQuote", line);
    }
    // Keep the part of a field that this chunk ends in.
    if (state === "unquoted" || state === "quoted") addToField(text.slice(from, i));
  }

  return {
    /** The separator in use: given, or detected from the first line (known after the first line). */
    get separator(): Separator | undefined {
      return sep === undefined ? undefined : (String.fromCharCode(sep) as Separator);
    },
    push(text: string): CsvRecord[] {
      const out: CsvRecord[] = [];
      if (sep === undefined) {
        pending += text;
        const end = firstLineEnd(pending);
        if (end < 0 && pending.length <= MAX_FIELD_LENGTH * 4) return out;
        sep = detectSeparator(end < 0 ? pending : pending.slice(0, end)).charCodeAt(0);
        text = pending;
        pending = "";
      }
      scan(text, out);
      return out;
    },
    end(): CsvRecord[] {
      const out: CsvRecord[] = [];
      if (sep === undefined) {
        sep = detectSeparator(pending).charCodeAt(0);
        scan(pending, out);
        pending = "";
      }
      if (state === "quoted") throw new CsvError("unclosedQuote", fieldLine);
      if (state !== "start" && state !== "afterCr") endRecord(out);
      else if (cells.length > 0) endRecord(out); // `a,` at the very end: a last empty field
      state = "start";
      return out;
    },
    /** The line being read: where a decoding error is. */
    get line() {
      return line;
    },
  };
}

const NEEDS_QUOTES = /[",;\r\n]|^\s|\s$/;

/** One CSV line, CRLF-terminated, quoting only the cells that need it. */
export function csvLine(cells: readonly string[], separator: Separator = ","): string {
  return `${cells.map((cell) => (NEEDS_QUOTES.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell)).join(separator)}\r\n`;
}
