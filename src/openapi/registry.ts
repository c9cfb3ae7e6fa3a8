import type * as z from "zod";
import type { Role } from "../db/api-keys";
import type { ErrorCode } from "../lib/errors";

export type Method = "get" | "post" | "put" | "patch" | "delete";

/** The tags of the document, in the order the docs page shows them. */
export const TAGS = {
  Contacts: "Create, read, update, delete and bulk-upsert contacts. Every contact belongs to the key's organization.",
  "Custom attributes": "Typed definitions for the values of `customAttributes`.",
  Webhooks: "Form builders (Typeform, Tally, Webflow, Jotform, plain forms) posting contacts without an API key.",
  Account: "Who the API key belongs to.",
  Meta: "Liveness and this API's own description. No API key needed.",
} as const;
export type Tag = keyof typeof TAGS;

export interface ResponseDoc {
  description: string;
  /** The JSON body (`output` side of the schema). Omit for a body-less answer. */
  schema?: z.ZodType;
  example?: unknown;
  /** Default `application/json`. */
  contentType?: string;
  /** Response headers beyond `X-Request-Id`, which every answer carries. */
  headers?: Record<string, { description: string; required?: boolean; schema?: z.ZodType }>;
}

/**
 * One operation of the API, as the OpenAPI document describes it. Everything the route's
 * middleware implies is added by the builder: `401`/`429`/`503` and the security schemes under `/api`,
 * `403` with `roles`, `400`/`413`/`415` with a `body`, `400` with `params`/`query`/`headers`,
 * the `Idempotency-Key` header with `400`/`409`/`422` with `idempotent`,
 * and `500` everywhere. `errors` lists what the handler itself can answer.
 */
export interface RouteDoc {
  method: Method;
  /** In Hono's syntax, exactly as `createApp().routes` lists it: `/api/contact/:id`. */
  path: string;
  /** Unique, camelCase: client generators name their methods after it. */
  operationId: string;
  tag: Tag;
  summary: string;
  description?: string;
  /**
   * `false` when the route reads its params and body itself instead of through `validate()`
   * (`POST /hooks/:token`): then no `400 VALIDATION_FAILED` is implied.
   */
  validated?: false;
  /** Takes an `Idempotency-Key` (the route mounts `idempotency()`): `409`/`422` and the replay header. */
  idempotent?: true;
  /** Only keys of these roles may call it (else `403`). */
  roles?: Role[];
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** Request headers the route reads (`Idempotency-Key`, signatures, …). */
  headers?: z.ZodObject;
  body?: {
    /** The very schema given to `validate("json", …)`; documented on its `input` side. */
    schema: z.ZodType;
    /** The route's body limit (`jsonBody(limit)`), in bytes. */
    limit: number;
    /** Default `["application/json"]`; the examples go with the first. */
    mediaTypes?: string[];
    /** Named examples; the first is the default. */
    examples: Record<string, { summary: string; value: unknown }>;
  };
  /** The success answers, by status. */
  responses: Partial<Record<number, ResponseDoc>>;
  /** The error answers of the handler itself, by status, with the codes each can carry. */
  errors?: Partial<Record<ErrorStatus, ErrorCode[]>>;
}

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503;

/**
 * Declares the operations of one resource, so that a mistyped entry fails `tsc` where it is written.
 *
 * @example export const healthDocs = defineRoutes([{ method: "get", path: "/health", … }])
 */
export const defineRoutes = (routes: RouteDoc[]): RouteDoc[] => routes;
