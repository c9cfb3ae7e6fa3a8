import "../../lib/docs";
import { jsonBody } from "../../middleware/json-body";
import { importExecuteSchema, importSessionSchema } from "../../schemas/import";
import { executeImport, type ImportMessage } from "../../services/imports/execute";
import { toImportSession } from "../../services/imports/sessions";
import { baseUrlOf } from "../base-url";
import { type AppRouteHandler, defineRoute, jsonContent } from "../define-route";
import { EXAMPLE_SESSION_ID, SESSION_EXAMPLE } from "./examples";

export const route = defineRoute(
  {
    method: "post",
    path: "/api/contact/ingestion/execute",
    ...(DOCS && {
      operationId: "executeImport",
      tags: ["Import"],
      summary: "Import the valid rows",
      description:
        "Answers at once; the rows are then written in the background, in atomic batches of 1,000 through the same " +
        "merge as `POST /api/contact/upsert`, each emitting `contact.created` / `contact.updated`. Follow it with " +
        "`GET /api/contact/ingestion/{sessionId}` until `executed`. A row refused at this point (the attribute " +
        "definitions changed since validation) counts in `failed`; invalid rows count there from the start.",
    }),
    middleware: [jsonBody(1024)] as const,
    request: { body: { required: true, content: jsonContent(importExecuteSchema, { sessionId: EXAMPLE_SESSION_ID }) } },
    responses: {
      202: {
        description: "The session, `executing`.",
        content: jsonContent(importSessionSchema, { ...SESSION_EXAMPLE, processedRows: 1 }),
      },
    },
  },
  { 404: ["NOT_FOUND"], 409: ["INVALID_SESSION_STATE"] },
);

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const deps = { db: c.get("db"), queue: c.env.IMPORTS as Queue<ImportMessage> };
  const session = await executeImport(deps, c.get("auth").organizationId, c.req.valid("json").sessionId, new Date());
  return c.json(toImportSession(session, baseUrlOf(c)), 202);
};
