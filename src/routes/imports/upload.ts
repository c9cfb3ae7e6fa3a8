import "../../lib/docs";
import { ApiError } from "../../lib/errors";
import { boundaryOf } from "../../lib/multipart";
import { payloadTooLarge } from "../../middleware/json-body";
import { IMPORT_LIMITS, importUploadResultSchema } from "../../schemas/import";
import { uploadFile } from "../../services/imports/upload";
import { type AppRouteHandler, defineRoute, jsonContent } from "../define-route";
import { UPLOAD_EXAMPLE } from "./examples";

/** The form around the file: its other fields and part headers. */
const FORM_OVERHEAD = 64 * 1024;

// The body is read by the handler as it streams, never by a validator (which would buffer 50 MB).
export const route = defineRoute(
  {
    method: "post",
    path: "/api/contact/ingestion/upload",
    ...(DOCS && {
      operationId: "uploadImportFile",
      tags: ["Import"],
      summary: "Upload a CSV file to import",
      description:
        `A CSV file in UTF-8 (a BOM is dropped), fields separated by \`,\` or \`;\` (found from the first line), quoted ` +
        `fields may hold separators, line breaks and doubled quotes. At most ${IMPORT_LIMITS.bytes / 1024 / 1024} MB ` +
        `and ${IMPORT_LIMITS.rows.toLocaleString("en")} data rows (\`413\` beyond). A file that is not CSV text is a ` +
        "`400` naming the line (`fieldErrors.file`). The session expires 30 minutes after the upload unless executed.",
    }),
    requestBody: {
      required: true,
      content: {
        "multipart/form-data": {
          schema: {
            type: "object",
            required: ["file"],
            properties: {
              file: { type: "string", format: "binary", description: "The CSV file." },
              hasHeaderRow: {
                type: "string",
                enum: ["true", "false"],
                default: "false",
                description: "Whether the first line names the columns (it is then not a data row).",
              },
              previewRows: {
                type: "string",
                pattern: "^\\d{1,3}$",
                default: "20",
                description: `How many data rows the answer shows: 1 to ${IMPORT_LIMITS.previewRows}.`,
              },
            },
            additionalProperties: false,
          },
        },
      },
    },
    responses: {
      201: {
        description: "The session: the file's columns and its first rows.",
        content: jsonContent(importUploadResultSchema, UPLOAD_EXAMPLE),
      },
    },
  },
  { 400: ["VALIDATION_FAILED"], 413: ["PAYLOAD_TOO_LARGE"], 415: ["UNSUPPORTED_MEDIA_TYPE"] },
);

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const boundary = boundaryOf(c.req.header("content-type"));
  if (!boundary) {
    throw new ApiError("UNSUPPORTED_MEDIA_TYPE", { message: "Content-Type must be multipart/form-data" });
  }
  const declared = Number(c.req.header("content-length"));
  if (declared > IMPORT_LIMITS.bytes + FORM_OVERHEAD) throw payloadTooLarge(IMPORT_LIMITS.bytes);
  const body = c.req.raw.body ?? new Response("").body;
  const answer = await uploadFile(
    { db: c.get("db"), bucket: c.env.IMPORT_FILES },
    c.get("auth").organizationId,
    body as ReadableStream<Uint8Array>,
    boundary,
    new Date(),
  );
  return c.json(answer, 201);
};
