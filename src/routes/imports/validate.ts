import "../../lib/docs";
import { jsonBody } from "../../middleware/json-body";
import { importValidateResultSchema, importValidateSchema } from "../../schemas/import";
import { validateImport } from "../../services/imports/validate";
import { type AppRouteHandler, defineRoute, jsonContent } from "../define-route";
import { EXAMPLE_SESSION_ID } from "./examples";

const VALIDATE_BODY_LIMIT = 64 * 1024;

export const route = defineRoute(
  {
    method: "post",
    path: "/api/contact/ingestion/validate",
    ...(DOCS && {
      operationId: "validateImport",
      tags: ["Import"],
      summary: "Map the columns and validate every row",
      description:
        "Each mapping puts a column onto a contact field or `customAttributes.<name>`; `primaryPhone` must be mapped, " +
        "no field or column twice. Every row is validated as an item of `POST /api/contact/upsert` (same codes and " +
        "messages, keyed by the mapped field) and classified by phone: `existing` when a live contact, or an earlier " +
        "valid row of the file, has it (the import will update that contact), `valid` when it will create one. A blank " +
        "cell leaves its field alone. A session may be validated again, with other mappings, until it is executed.",
    }),
    middleware: [jsonBody(VALIDATE_BODY_LIMIT)] as const,
    request: {
      body: {
        required: true,
        content: jsonContent(importValidateSchema, {
          sessionId: EXAMPLE_SESSION_ID,
          columnMappings: [
            { column: 0, field: "primaryPhone" },
            { column: 1, field: "firstName" },
            { column: 2, field: "lastName" },
            { column: 3, field: "customAttributes.age" },
          ],
        }),
      },
    },
    responses: {
      200: {
        description: "What validation found.",
        content: jsonContent(importValidateResultSchema, {
          sessionId: EXAMPLE_SESSION_ID,
          status: "validated",
          totalRows: 3,
          validRows: 2,
          invalidRows: 1,
          newRows: 1,
          existingRows: 1,
        }),
      },
    },
  },
  { 404: ["NOT_FOUND"], 409: ["INVALID_SESSION_STATE"] },
);

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const deps = { db: c.get("db"), bucket: c.env.IMPORT_FILES };
  return c.json(await validateImport(deps, c.get("auth").organizationId, c.req.valid("json"), new Date()), 200);
};
