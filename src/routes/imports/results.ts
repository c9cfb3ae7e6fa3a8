import "../../lib/docs";
import { importResultsQuerySchema, importResultsSchema, sessionParamSchema } from "../../schemas/import";
import { getImportSession, importResults, wrongState } from "../../services/imports/sessions";
import { type AppRouteHandler, defineRoute, jsonContent } from "../define-route";

export const route = defineRoute(
  {
    method: "get",
    path: "/api/contact/ingestion/{sessionId}/results",
    ...(DOCS && {
      operationId: "getImportResults",
      tags: ["Import"],
      summary: "Page through the validation results",
      description: "In file order. Before validation, `409 INVALID_SESSION_STATE`.",
    }),
    request: { params: sessionParamSchema, query: importResultsQuerySchema },
    responses: {
      200: {
        description: "One page of rows.",
        content: jsonContent(importResultsSchema, {
          data: [
            {
              row: 3,
              status: "invalid",
              values: { primaryPhone: "12", firstName: "Ada" },
              fieldErrors: [
                { path: "primaryPhone", code: "invalidPhone", message: "primaryPhone must be a valid phone number" },
              ],
            },
          ],
          meta: { page: 1, limit: 50, total: 1, totalPages: 1, hasNextPage: false, hasPreviousPage: false },
        }),
      },
    },
  },
  { 404: ["NOT_FOUND"], 409: ["INVALID_SESSION_STATE"] },
);

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const db = c.get("db");
  const session = await getImportSession(db, c.get("auth").organizationId, c.req.valid("param").sessionId, new Date());
  if (session.status === "uploaded") throw wrongState(session.status, "validated");
  return c.json(await importResults(db, session, c.req.valid("query")), 200);
};
