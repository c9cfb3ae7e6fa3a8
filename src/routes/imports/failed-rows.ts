import "../../lib/docs";
import * as z from "zod";
import { sessionParamSchema } from "../../schemas/import";
import { failedRowsCsv } from "../../services/imports/failed-rows";
import { getImportSession, wrongState } from "../../services/imports/sessions";
import { type AppRouteHandler, defineRoute } from "../define-route";

export const route = defineRoute(
  {
    method: "get",
    path: "/api/contact/ingestion/{sessionId}/failed-rows.csv",
    ...(DOCS && {
      operationId: "getImportFailedRows",
      tags: ["Import"],
      summary: "Download the rows that were not imported",
      description:
        "The invalid rows, and those refused at execution, as uploaded (same separator; the header row first when the " +
        "file had one) with an `error` column: each failure's message, joined by `; `. Before validation, `409`.",
    }),
    request: { params: sessionParamSchema },
    responses: {
      200: {
        description: "CSV.",
        content: {
          "text/csv": {
            schema: z.string(),
            example: 'phone,first_name,error\r\n12,Ada,"primaryPhone must be a valid phone number"\r\n',
          },
        },
      },
    },
  },
  { 404: ["NOT_FOUND"], 409: ["INVALID_SESSION_STATE"] },
);

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const db = c.get("db");
  const session = await getImportSession(db, c.get("auth").organizationId, c.req.valid("param").sessionId, new Date());
  if (session.status === "uploaded") throw wrongState(session.status, "validated");
  return c.body(failedRowsCsv(db, session), 200, {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": `attachment; filename="failed-rows-${session.id}.csv"`,
  });
};
