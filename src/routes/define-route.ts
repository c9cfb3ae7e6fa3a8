import { createRoute, OpenAPIHono, type RouteConfig, type RouteHandler } from "@hono/zod-openapi";
import type { Context } from "hono";
import type * as z from "zod";
import "../lib/docs";
import { type FieldError, validationError } from "../lib/errors";
import { fieldErrorsOf } from "../lib/validation";
import { namedQueryParameters } from "../middleware/query";
import type { AppEnv } from "../types";
import { documentRoute, type ErrorList } from "./route-docs";

export type { RouteConfig };

/** A handler typed by its route: `c.req.valid(…)` and the answers it may return. */
export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, AppEnv>;

/**
 * One route, declared once: `createRoute` plus what its context implies (`documentRoute`: its error
 * answers, headers and security in the document). `errors` lists what the handler itself can
 * answer. A route with a query schema also refuses a nameless query parameter (`namedQueryParameters`).
 *
 * In the deployed Worker (`DOCS` false, src/lib/docs.ts) it is `createRoute` with the query guard
 * only: the document is built elsewhere, and a route keeps its own docs in `...(DOCS && { … })`.
 *
 * @example export const route = defineRoute({ method: "get", path: "/api/me", … }, { 404: ["NOT_FOUND"] })
 */
export function defineRoute<const R extends RouteConfig>(config: R, errors: ErrorList = {}): R {
  const routed = config.request?.query
    ? { ...config, middleware: [namedQueryParameters, ...[config.middleware ?? []].flat()] }
    : config;
  // The deployed Worker validates and routes; the document it would describe is public/openapi.json.
  return createRoute((DOCS ? documentRoute(routed, errors) : routed) as R);
}

/** `content` of a JSON request or answer, with an example. */
export const jsonContent = <T extends z.ZodType>(schema: T, example?: unknown) => ({
  "application/json": { schema, ...(example === undefined ? {} : { example }) },
});

/**
 * The validators' hook: a failure throws the error envelope. `moreErrors` adds the failures of
 * rules that need the request's context (the organization), so that one `400` lists them all.
 */
export function validationHook(moreErrors?: (c: Context<AppEnv>, raw: unknown) => Promise<FieldError[]>) {
  const hook = async (
    result: { success: true } | { success: false; error: z.ZodError; data?: unknown },
    c: Context<AppEnv>,
  ) => {
    if (result.success) return;
    const extra = moreErrors ? await moreErrors(c, result.data) : [];
    throw validationError([...fieldErrorsOf(result.error), ...extra]);
  };
  // Hono's hook type wants an async hook to resolve to a response; this one only ever throws.
  return hook as (...args: Parameters<typeof hook>) => Promise<never>;
}

/** A router of routes defined with {@link defineRoute}; validation failures become the error envelope. */
export const createRouter = () => new OpenAPIHono<AppEnv>({ defaultHook: validationHook() });
