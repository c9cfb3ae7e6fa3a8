import * as z from "zod";
import { wholeNumber } from "./common";
import { IMPORT_ROW_STATUSES, IMPORT_STATUSES } from "./import-limits";
import { pageMetaSchema } from "./responses";
import { isFieldMapTarget } from "./webhook-source";

export * from "./import-limits";

const sessionId = z.uuid().transform((id) => id.toLowerCase());
export const sessionParamSchema = z.strictObject({ sessionId });

const timestamp = z.iso.datetime().meta({ format: "date-time" });

/** `POST /api/contact/ingestion/validate`. */
export const importValidateSchema = z
  .strictObject({
    sessionId,
    columnMappings: z
      .array(
        z.strictObject({
          column: z.int().min(0).max(999).meta({ description: "0-based, as `columns[].index`." }),
          field: z
            .string()
            .refine(isFieldMapTarget, { message: "invalidFieldMapTarget", params: { code: "invalidFieldMapTarget" } })
            .meta({ description: "A contact field (`primaryPhone`, `firstName`, …) or `customAttributes.<name>`." }),
        }),
      )
      .min(1)
      .max(1000),
  })
  .superRefine(({ columnMappings }, ctx) => {
    const fields = new Set<string>();
    const columns = new Set<number>();
    columnMappings.forEach(({ column, field }, i) => {
      if (fields.has(field)) {
        ctx.addIssue({ code: "custom", path: ["columnMappings", i, "field"], params: { code: "fieldMappedTwice" } });
      }
      if (columns.has(column)) {
        ctx.addIssue({ code: "custom", path: ["columnMappings", i, "column"], params: { code: "columnMappedTwice" } });
      }
      fields.add(field);
      columns.add(column);
    });
    if (!fields.has("primaryPhone")) {
      ctx.addIssue({ code: "custom", path: ["columnMappings"], params: { code: "primaryPhoneNotMapped" } });
    }
  });
export type ImportValidateInput = z.infer<typeof importValidateSchema>;
export type ColumnMapping = ImportValidateInput["columnMappings"][number];

export const importExecuteSchema = z.strictObject({ sessionId });

export const IMPORT_RESULT_FILTERS = ["all", "valid", "invalid", "existing"] as const;
export const importResultsQuerySchema = z.strictObject({
  page: wholeNumber(1).default(1),
  limit: wholeNumber(1, 500).default(50),
  filter: z
    .enum(IMPORT_RESULT_FILTERS)
    .default("all")
    .meta({ description: "`valid`: every row that will be imported (`valid` and `existing`)." }),
});

const column = z.strictObject({
  index: z.int().min(0),
  name: z.string().meta({ description: "The header's text, or `Column <index + 1>`." }),
});
const cellsByColumn = z.record(z.string(), z.string()).meta({ description: "Column index → the cell as uploaded." });

export const importUploadResultSchema = z
  .strictObject({
    sessionId: z.uuid(),
    fileName: z.string(),
    totalRows: z.int().min(0).meta({ description: "Data rows: the header row is not counted." }),
    columnCount: z.int().min(1),
    columns: z.array(column),
    previewRows: z.array(cellsByColumn),
    status: z.literal("uploaded"),
    expiresAt: timestamp,
  })
  .meta({ id: "ImportUpload" });

export const importValidateResultSchema = z
  .strictObject({
    sessionId: z.uuid(),
    status: z.literal("validated"),
    totalRows: z.int().min(0),
    validRows: z.int().min(0).meta({ description: "`newRows + existingRows`." }),
    invalidRows: z.int().min(0),
    newRows: z.int().min(0),
    existingRows: z.int().min(0),
  })
  .meta({ id: "ImportValidation" });

const fieldErrorSchema = z.strictObject({ path: z.string(), code: z.string(), message: z.string() });

export const importResultsSchema = z
  .strictObject({
    data: z.array(
      z.strictObject({
        row: z.int().min(1).meta({ description: "The 1-based line of the file where the row starts." }),
        status: z.enum(IMPORT_ROW_STATUSES),
        values: z.record(z.string(), z.string()).meta({ description: "Mapped field → the cell as uploaded." }),
        fieldErrors: z.array(fieldErrorSchema).optional(),
      }),
    ),
    meta: pageMetaSchema(500),
  })
  .meta({ id: "ImportResults" });

export const importSessionSchema = z
  .strictObject({
    sessionId: z.uuid(),
    status: z.enum(IMPORT_STATUSES),
    fileName: z.string(),
    totalRows: z.int().min(0),
    processedRows: z.int().min(0).meta({ description: "Rows dealt with: `created + updated + failed`." }),
    created: z.int().min(0),
    updated: z.int().min(0),
    failed: z.int().min(0).meta({ description: "Rows not imported: invalid at validation, or refused at execution." }),
    failedRowsUrl: z.string().optional().meta({ description: "Where the rows not imported are, as CSV; once any is." }),
    expiresAt: timestamp,
  })
  .meta({ id: "ImportSession" });
export type ImportSession = z.infer<typeof importSessionSchema>;
