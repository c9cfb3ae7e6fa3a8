import { parse } from "csv-parse/browser/esm/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CsvError, type CsvRecord, csvLine, csvParser, detectSeparator, type Separator } from "../../src/lib/csv";

/** Parses `text` fed in pieces cut at `cuts`. */
function parseAll(text: string, cuts: number[] = [], separator?: Separator): CsvRecord[] {
  const parser = csvParser(separator);
  const out: CsvRecord[] = [];
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    out.push(...parser.push(text.slice(from, cut)));
    from = Math.max(from, cut);
  }
  out.push(...parser.push(text.slice(from)), ...parser.end());
  return out;
}

const cellsOf = (records: CsvRecord[]) => records.map((r) => r.cells);

describe("the CSV reader", () => {
  it("reads quoted separators, doubled quotes, line breaks inside quotes, CRLF, LF and a lone CR", () => {
    const text = 'name,note\r\n"Curie, Marie","said ""hi""\non two lines"\nAda,x\rBob,"y"\r\n';
    const records = parseAll(text);
    expect(cellsOf(records)).toEqual([
      ["name", "note"],
      ["Curie, Marie", 'said "hi"\non two lines'],
      ["Ada", "x"],
      ["Bob", "y"],
    ]);
    // Each record's line is where it starts: the quoted line break moves the next one down.
    expect(records.map((r) => r.line)).toEqual([1, 2, 4, 5]);
  });

  it("finds `;` from the first line, skips blank lines, keeps a trailing empty field and a quote inside a plain field", () => {
    expect(detectSeparator('a;b;"c,d"')).toBe(";");
    expect(detectSeparator("a,b;c")).toBe(",");
    expect(cellsOf(parseAll('phone;name\n\n+33612345678;5" screen;\n'))).toEqual([
      ["phone", "name"],
      ["+33612345678", '5" screen', ""],
    ]);
  });

  it("names the line of what breaks the file, never its content", () => {
    const cases: [string, string, number][] = [
      ['a,b\nc,"open\nstill open\n', "unclosedQuote", 2],
      ['a,b\nc,"d"e\n', "textAfterQuote", 2],
      ["a,b\nc,\u0000\n", "binaryFile", 2],
      [`a,"${"x".repeat(70_000)}"\n`, "fieldTooLong", 1],
      [`${",".repeat(1000)}\n`, "tooManyColumns", 1],
    ];
    for (const [text, code, line] of cases) {
      const error = (() => {
        try {
          parseAll(text);
        } catch (err) {
          return err;
        }
      })();
      expect(error).toBeInstanceOf(CsvError);
      expect(error).toMatchObject({ code, line });
      expect((error as Error).message).toMatch(new RegExp(`^line ${line}: `));
    }
  });

  it("writes what it reads: csvLine quotes only what needs it", () => {
    expect(csvLine(["a", "b,c", 'say "x"', " pad", "l1\nl2"])).toBe('a,"b,c","say ""x"""," pad","l1\nl2"\r\n');
    expect(csvLine(["a;b", "c"], ";")).toBe('"a;b";c\r\n');
  });

  // Cells from an alphabet rich in what CSV must escape; files of 1–6 rows of 1–5 cells.
  const cell = fc.string({
    unit: fc.constantFrom("a", "Z", "é", "😀", " ", ",", ";", '"', "\n", "\r", "1"),
    maxLength: 8,
  });
  const table = fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 6 });
  const quoteAll = (c: string) => `"${c.replaceAll('"', '""')}"`;

  it("agrees with csv-parse, and gives back the table, on generated files cut anywhere", () => {
    fc.assert(
      fc.property(
        table,
        fc.constantFrom<Separator>(",", ";"),
        fc.constantFrom("\r\n", "\n"),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 6 }),
        (rows, separator, eol, alwaysQuote, cutsRaw) => {
          const text = rows
            .map((r) =>
              alwaysQuote ? r.map(quoteAll).join(separator) + eol : csvLine(r, separator).replace(/\r\n$/, eol),
            )
            .join("");
          const cuts = cutsRaw.map((n) => n % (text.length + 1));
          const ours = cellsOf(parseAll(text, cuts, separator));
          // A row of one empty cell, unquoted, is a blank line: skipped by both.
          const expected = rows.filter((r) => alwaysQuote || r.length > 1 || r[0] !== "");
          expect(ours).toEqual(expected);
          const theirs = parse(text, { delimiter: separator, relax_column_count: true, skip_empty_lines: true });
          expect(ours).toEqual(theirs);
        },
      ),
      { numRuns: 300 },
    );
  });
});
