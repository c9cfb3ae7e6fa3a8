import type { MiddlewareHandler } from "hono";
import type { ErrorCode, ErrorStatus } from "../lib/errors";
import type { AppEnv } from "../types";

/** What a middleware adds to the description of every route that uses it. */
export interface MiddlewareDoc {
  /** The error answers it can give, by status. */
  errors?: Partial<Record<ErrorStatus, ErrorCode[]>>;
  /** The request headers it reads (OpenAPI parameter objects, `in: header`). */
  parameters?: {
    name: string;
    in: "header";
    required: boolean;
    description: string;
    schema: Record<string, unknown>;
  }[];
  /** Headers it adds to success answers. */
  successHeaders?: Record<string, { description: string; required?: boolean; schema: Record<string, unknown> }>;
  /** A sentence for the operation's description. */
  description?: string;
}

export type DocumentedMiddleware = MiddlewareHandler<AppEnv> & { doc: MiddlewareDoc };

/**
 * A middleware that carries its own documentation: `defineRoute` reads it from the route's
 * `middleware` list, so what a route answers is derived from what it uses.
 *
 * @example export const requireAdmin = documented(handler, { errors: { 403: ["FORBIDDEN"] } })
 */
export function documented(middleware: MiddlewareHandler<AppEnv>, doc: MiddlewareDoc): DocumentedMiddleware {
  return Object.assign(middleware, { doc });
}
