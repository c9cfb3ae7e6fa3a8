import type { RouteConfig } from "@hono/zod-openapi";
import { ERRORS, type ErrorCode, type ErrorStatus, STATUS_ERROR } from "../lib/errors";
import type { DocumentedMiddleware } from "../middleware/documented";

// What the OpenAPI document says of each route beyond its own declaration: used by `defineRoute`
// wherever the document is built (tests, Node scripts, the [build] step). The deployed Worker's
// bundle has ../bundle/route-docs.ts instead (ALIASES of scripts/build-worker.ts): it never builds the document.

/** Every route under `/api` is behind the API key and its rate limit (see `createApp`). */
export const requiresApiKey = (path: string) => /^\/api(\/|$)/.test(path);

export type ErrorList = Partial<Record<ErrorStatus, ErrorCode[]>>;

const STATUS_SUMMARY: Record<ErrorStatus, string> = {
  400: "The request is invalid.",
  401: "No usable API key: missing, malformed, unknown, expired and revoked keys all get this same answer.",
  403: "The key's role may not use this route.",
  404: "Not found in the key's organization.",
  405: "Not served with this method.",
  409: "Conflict with the current state.",
  412: "`If-Match` names none of the contact's current ETag: it changed since it was read. Nothing was changed.",
  413: "The body is over the route's limit (the bytes actually read are counted).",
  415: "The body's `Content-Type` is not one this route reads.",
  422: "Understood, but cannot be processed.",
  429: "Too many requests: retry after `Retry-After` seconds. Nothing was done.",
  500: "A bug. No stack, SQL or submitted value is ever returned.",
  503: "A dependency (KV, D1) is unavailable: retry after `Retry-After` seconds. Nothing was written.",
};

const EXAMPLE_EXTRA: Partial<Record<ErrorCode, Record<string, unknown>>> = {
  VALIDATION_FAILED: {
    fieldErrors: { primaryPhone: ["primaryPhone must be a valid phone number"] },
    fieldDetails: { primaryPhone: [{ code: "invalidPhone" }] },
  },
  CONTACT_EXISTS: { existingId: "0192f4e6-7b1a-7c3e-9a4f-2d8b6c1e5f30" },
  ATTRIBUTE_EXISTS: { existingId: "0192f4e6-7b1a-7c3e-9a4f-2d8b6c1e5f31" },
};

const requestIdHeader = { $ref: "#/components/headers/X-Request-Id" };
const secondsHeader = (description: string) => ({ description, required: true, schema: { type: "string" } });
const rateLimitHeaders = {
  "Retry-After": secondsHeader("Seconds to wait before retrying."),
  "RateLimit-Policy": secondsHeader('The quota: `"<name>";q=<requests>;w=<seconds>`.'),
  RateLimit: secondsHeader('What is left: `"<name>";r=0;t=<seconds>`.'),
};

/** One error status of an operation: the envelope, narrowed to that status and its codes, with an example of each. */
function errorResponse(status: ErrorStatus, codes: ErrorCode[], path: string) {
  const examples = Object.fromEntries(
    codes.map((code) => [
      code,
      {
        summary: code,
        value: {
          statusCode: status,
          code,
          error: STATUS_ERROR[status],
          message: ERRORS[code].message,
          ...EXAMPLE_EXTRA[code],
          timestamp: "2026-01-01T00:00:00.000Z",
          path: path.replace(/\{\w+\}/g, "0192f4e6-7b1a-7c3e-9a4f-2d8b6c1e5f30"),
          requestId: "0192f4e6-7b1a-7c3e-9a4f-2d8b6c1e5f32",
        },
      },
    ]),
  );
  return {
    description: `${STATUS_SUMMARY[status]} Code: ${codes.map((code) => `\`${code}\``).join(", ")}.`,
    headers: {
      "X-Request-Id": requestIdHeader,
      ...(status === 429 ? rateLimitHeaders : {}),
      ...(status === 503 || status === 409
        ? { "Retry-After": { ...rateLimitHeaders["Retry-After"], required: false } }
        : {}),
    },
    content: {
      "application/json": {
        schema: {
          allOf: [
            { $ref: "#/components/schemas/ErrorEnvelope" },
            {
              properties: {
                statusCode: { const: status },
                code: codes.length === 1 ? { const: codes[0] } : { enum: codes },
                error: { const: STATUS_ERROR[status] },
              },
            },
          ],
        },
        examples,
      },
    },
  };
}

const middlewareDocs = (config: RouteConfig) =>
  [config.middleware ?? []]
    .flat()
    .flatMap((m) => ((m as Partial<DocumentedMiddleware>).doc ? [(m as DocumentedMiddleware).doc] : []));

/**
 * The documented form of a route: from its own `request` and `middleware` (see `documented`) and its
 * path come the error answers (`400` when it validates anything; under `/api`: `401`, `429`, `503`
 * and the security schemes; each middleware's own), the headers its middleware reads, and
 * `X-Request-Id` on every answer. `errors` lists what the handler itself can answer. Every route can
 * answer `500`.
 */
export function documentRoute(config: RouteConfig, errors: ErrorList): RouteConfig {
  const docs = middlewareDocs(config);
  const all = new Map<ErrorStatus, Set<ErrorCode>>();
  const add = (list: ErrorList) => {
    for (const [status, codes] of Object.entries(list) as [string, ErrorCode[]][]) {
      const set = all.get(Number(status) as ErrorStatus) ?? new Set();
      for (const code of codes) set.add(code);
      all.set(Number(status) as ErrorStatus, set);
    }
  };
  const { params, query, body, headers } = config.request ?? {};
  if (params || query || body || headers) add({ 400: ["VALIDATION_FAILED"] });
  const secured = requiresApiKey(config.path);
  if (secured) add({ 401: ["UNAUTHORIZED"], 429: ["RATE_LIMITED"], 503: ["SERVICE_UNAVAILABLE"] });
  for (const doc of docs) add(doc.errors ?? {});
  add(errors);
  add({ 500: ["INTERNAL_ERROR"] });

  const responses: Record<string, unknown> = {};
  for (const [status, response] of Object.entries(config.responses) as [string, { headers?: object }][]) {
    const headers = Object.assign(
      { "X-Request-Id": requestIdHeader },
      ...docs.map((d) => d.successHeaders),
      response.headers,
    );
    responses[status] = { ...response, headers };
  }
  for (const [status, codes] of [...all].sort(([a], [b]) => a - b)) {
    responses[status] = errorResponse(status, [...codes], config.path);
  }
  const notes = docs.flatMap((d) => (d.description ? [d.description] : []));
  return {
    ...config,
    ...(notes.length > 0 ? { description: [config.description, ...notes].filter(Boolean).join("\n\n") } : {}),
    security: secured ? [{ ApiKey: [] }, { Bearer: [] }] : [],
    parameters: [...(config.parameters ?? []), ...docs.flatMap((d) => d.parameters ?? [])],
    responses,
  } as RouteConfig;
}
