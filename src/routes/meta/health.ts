import "../../lib/docs";
import { healthSchema } from "../../schemas/responses";
import { type AppRouteHandler, defineRoute, jsonContent } from "../define-route";

export const route = defineRoute({
  method: "get",
  path: "/health",
  ...(DOCS && {
    operationId: "getHealth",
    tags: ["Meta"],
    summary: "Liveness",
    description: "Touches no storage: answers as long as the worker runs.",
  }),
  responses: { 200: { description: "The worker is up.", content: jsonContent(healthSchema, { status: "ok" }) } },
});

export const handler: AppRouteHandler<typeof route> = (c) => c.json({ status: "ok" as const }, 200);
