import "../../lib/docs";
import { importSessionSchema, sessionParamSchema } from "../../schemas/import";
import { getImportSession, toImportSession } from "../../services/imports/sessions";
import { baseUrlOf } from "../base-url";
import { type AppRouteHandler, defineRoute, jsonContent } from "../define-route";
import { SESSION_EXAMPLE } from "./examples";

export const route = defineRoute(
  {
    method: "get",
    path: "/api/contact/ingestion/{sessionId}",
    ...(DOCS && {
      operationId: "getImportSession",
      tags: ["Import"],
      summary: "Read an import session and its progress",
      description:
        "`processedRows` goes from 0 to `totalRows` while `executing`; `created + updated + failed = processedRows`. " +
        "An unexecuted session is gone (`404`) 30 minutes after its upload, an executed one 24 hours after it finished.",
    }),
    request: { params: sessionParamSchema },
    responses: {
      200: { description: "The session.", content: jsonContent(importSessionSchema, SESSION_EXAMPLE) },
    },
  },
  { 404: ["NOT_FOUND"] },
);

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { sessionId } = c.req.valid("param");
  const session = await getImportSession(c.get("db"), c.get("auth").organizationId, sessionId, new Date());
  return c.json(toImportSession(session, baseUrlOf(c)), 200);
};
