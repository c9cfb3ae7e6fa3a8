import * as z from "zod";
import { type ErrorCode, STATUS_ERROR } from "../lib/errors";
import { contactCreateSchema, contactUpdateSchema, contactUpsertSchema } from "../schemas/contact";
import { attributeCreateSchema, attributeUpdateSchema } from "../schemas/custom-attribute";
import {
  contactDeletedSchema,
  contactPageSchema,
  contactSchema,
  contactUpsertResultSchema,
  customAttributeDeletedSchema,
  customAttributeListSchema,
  customAttributeSchema,
  errorEnvelopeSchema,
  healthSchema,
  hookAnswerSchema,
  meSchema,
  openApiDocumentSchema,
  webhookDeliveryPageSchema,
  webhookSourceCreatedSchema,
  webhookSourceListSchema,
  webhookSourceRevokedSchema,
  webhookSourceSchema,
} from "../schemas/responses";
import { webhookSourceCreateSchema } from "../schemas/webhook-source";
import { ERROR_EXAMPLES } from "./error-examples";
import { EXAMPLE_CONTACT_ID, EXAMPLE_REQUEST_ID, EXAMPLE_TIME } from "./examples";
import { type JsonSchema, toComponentSchemas, toJsonSchema } from "./json-schema";
import type { ErrorStatus, ResponseDoc, RouteDoc, Tag } from "./registry";
import { TAGS } from "./registry";
import { ROUTE_DOCS } from "./routes";
import type { OperationObject, ParameterObject, ResponseObject } from "./types";

export const API_VERSION = "0.1.0";

/** The names under `components.schemas`; a schema not listed is named after its operation. */
const SCHEMA_NAMES = new Map<z.ZodType, string>([
  [contactCreateSchema, "ContactInput"],
  [contactUpdateSchema, "ContactUpdate"],
  [contactUpsertSchema, "ContactUpsertInput"],
  [contactSchema, "Contact"],
  [contactPageSchema, "ContactPage"],
  [contactUpsertResultSchema, "ContactUpsertResult"],
  [contactDeletedSchema, "ContactDeleted"],
  [attributeCreateSchema, "CustomAttributeInput"],
  [attributeUpdateSchema, "CustomAttributeUpdate"],
  [customAttributeSchema, "CustomAttribute"],
  [customAttributeListSchema, "CustomAttributeList"],
  [customAttributeDeletedSchema, "CustomAttributeDeleted"],
  [webhookSourceCreateSchema, "WebhookSourceInput"],
  [webhookSourceSchema, "WebhookSource"],
  [webhookSourceListSchema, "WebhookSourceList"],
  [webhookSourceCreatedSchema, "WebhookSourceCreated"],
  [webhookSourceRevokedSchema, "WebhookSourceRevoked"],
  [webhookDeliveryPageSchema, "WebhookDeliveryPage"],
  [hookAnswerSchema, "HookAnswer"],
  [meSchema, "Me"],
  [healthSchema, "Health"],
  [openApiDocumentSchema, "OpenApiDocument"],
  [errorEnvelopeSchema, "ErrorEnvelope"],
]);

/** Every route under `/api` is behind the API-key middleware. */
export const requiresApiKey = (path: string) => /^\/api(\/|$)/.test(path);

/** `/api/contact/:id` → `/api/contact/{id}`. */
export const toTemplate = (path: string) => path.replace(/:(\w+)/g, "{$1}");

const STATUS_SUMMARY: Record<ErrorStatus, string> = {
  400: "The request is invalid.",
  401: "No usable API key: missing, malformed, unknown, expired and revoked keys all get this same answer.",
  403: "The key's role may not use this route.",
  404: "Not found in the key's organization.",
  409: "Conflict with the current state.",
  413: "The body is over the route's limit (the bytes actually read are counted).",
  415: "`Content-Type` is not `application/json`.",
  422: "Understood, but cannot be processed.",
  429: "Too many requests for this key: retry after `Retry-After` seconds. Nothing was done.",
  500: "A bug. No stack, SQL or submitted value is ever returned.",
  503: "KV or D1 is unavailable: retry after `Retry-After` seconds. Nothing was written.",
};

const DESCRIPTION = `A contact-intake API on Cloudflare Workers: it validates contacts, files each under the
organization that owns the API key, and stores them in D1. Its contact routes follow the GoMobile contacts API.

**Authentication.** Every route under \`/api\` needs an API key, sent as \`X-API-Key: <key>\` or
\`Authorization: Bearer <key>\`. The organization comes only from the key.

**Errors.** Every error is JSON in one envelope (\`ErrorEnvelope\`); branch on its \`code\`. Validation failures list
each field under \`fieldErrors\` and \`fieldDetails\`, keyed by dotted path (\`customAttributes.age\`).
A path that no route serves answers \`404 NOT_FOUND\`; a path served with other methods answers
\`405 METHOD_NOT_ALLOWED\` with an \`Allow\` header. Under \`/api\`, the API key is checked first (\`401\`, \`503\`), then its rate limit (\`429\`).

**Conventions.** JSON in and out; timestamps are ISO 8601 UTC with milliseconds; ids are UUIDv7.
Every response carries \`X-Request-Id\` (a sane incoming one is echoed).`;

const size = (bytes: number) => (bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MB` : `${bytes / 1024} KB`);
const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const isJson = (contentType: string) => /json$/.test(contentType);

/** The error statuses of a route and the codes each can carry: what its middleware implies, then its own. */
export function errorsOf(route: RouteDoc): [ErrorStatus, ErrorCode[]][] {
  const errors = new Map<ErrorStatus, Set<ErrorCode>>();
  const add = (status: ErrorStatus, ...codes: ErrorCode[]) => {
    const set = errors.get(status) ?? new Set();
    for (const code of codes) set.add(code);
    errors.set(status, set);
  };
  if (route.validated !== false && (route.body || route.params || route.query || route.headers)) {
    add(400, "VALIDATION_FAILED");
  }
  if (route.body) {
    add(400, "INVALID_JSON");
    add(413, "PAYLOAD_TOO_LARGE");
    add(415, "UNSUPPORTED_MEDIA_TYPE");
  }
  if (requiresApiKey(route.path)) {
    add(401, "UNAUTHORIZED");
    add(429, "RATE_LIMITED");
    add(503, "SERVICE_UNAVAILABLE");
  }
  if (route.idempotent) {
    add(400, "VALIDATION_FAILED");
    add(409, "IDEMPOTENCY_IN_PROGRESS");
    add(422, "IDEMPOTENCY_KEY_REUSED");
  }
  if (route.roles) add(403, "FORBIDDEN");
  for (const [status, codes] of Object.entries(route.errors ?? {})) add(Number(status) as ErrorStatus, ...codes);
  add(500, "INTERNAL_ERROR");
  return [...errors].sort(([a], [b]) => a - b).map(([status, codes]) => [status, [...codes]]);
}

const requestIdHeader = { $ref: "#/components/headers/X-Request-Id" };
const retryAfterHeader = {
  description: "Seconds to wait before retrying.",
  required: true,
  schema: { type: "string", pattern: "^\\d+$" },
};
const rateLimitHeaders = {
  "RateLimit-Policy": {
    description: 'The key\'s quota: `"per-key";q=<requests>;w=<seconds>`.',
    required: true,
    schema: { type: "string" },
  },
  RateLimit: { description: 'What is left: `"per-key";r=0;t=<seconds>`.', required: true, schema: { type: "string" } },
};

/** `Idempotency-Key` (CONTRACT §8); the same pattern as `IDEMPOTENCY_KEY_PATTERN`, which a test holds it to. */
export const idempotencyHeaderSchema = z.object({
  "Idempotency-Key": z
    .string()
    .regex(/^[\x20-\x7e]{1,255}$/)
    .optional()
    .describe(
      "1–255 printable ASCII characters. A retry with the same key and body replays the first answer " +
        "(`Idempotent-Replayed: true`) for 24 h; another body is `422`; while the first still runs, `409`.",
    ),
});
const replayedHeader = {
  "Idempotent-Replayed": {
    description: "`true` when this is the stored answer to an earlier request with the same `Idempotency-Key`.",
  },
};

function errorResponse(route: RouteDoc, status: ErrorStatus, codes: ErrorCode[]): ResponseObject {
  const examplePath = route.path.replace(/:\w+/g, EXAMPLE_CONTACT_ID);
  const examples = Object.fromEntries(
    codes.map((code) => {
      const { message, extra } = ERROR_EXAMPLES[code];
      const value = {
        statusCode: status,
        code,
        error: STATUS_ERROR[status],
        message:
          code === "PAYLOAD_TOO_LARGE" && route.body
            ? `Request body must be at most ${route.body.limit / 1024} KB`
            : message,
        ...extra,
        timestamp: EXAMPLE_TIME,
        path: examplePath,
        requestId: EXAMPLE_REQUEST_ID,
      };
      return [code, { summary: code, value }];
    }),
  );
  const codeList = codes.map((code) => `\`${code}\``).join(", ");
  return {
    description: `${STATUS_SUMMARY[status]} Code: ${codeList}.`,
    headers: {
      "X-Request-Id": requestIdHeader,
      ...(status === 429 || status === 503 ? { "Retry-After": retryAfterHeader } : {}),
      ...(status === 429 ? rateLimitHeaders : {}),
    },
    content: {
      "application/json": {
        schema: {
          allOf: [
            ref("ErrorEnvelope"),
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

/** An object schema of `params`, `query` or `headers` as OpenAPI parameters, one per property. */
function parametersOf(schema: z.ZodObject | undefined, location: ParameterObject["in"]): ParameterObject[] {
  if (!schema) return [];
  const json = toJsonSchema(schema, "input");
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries((json.properties ?? {}) as Record<string, JsonSchema>).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: location,
      required: location === "path" || required.has(name),
      ...(typeof description === "string" ? { description } : {}),
      schema: rest,
    };
  });
}

type NameOf = (schema: z.ZodType, fallback: string) => string;

function successResponse(doc: ResponseDoc, nameOf: NameOf, fallbackName: string): ResponseObject {
  const contentType = doc.contentType ?? "application/json";
  const schema = !doc.schema
    ? undefined
    : isJson(contentType)
      ? ref(nameOf(doc.schema, fallbackName))
      : toJsonSchema(doc.schema, "output");
  const headers = Object.fromEntries(
    Object.entries(doc.headers ?? {}).map(([name, h]) => [
      name,
      {
        description: h.description,
        required: h.required ?? false,
        schema: h.schema ? toJsonSchema(h.schema, "output") : { type: "string" },
      },
    ]),
  );
  return {
    description: doc.description,
    headers: { "X-Request-Id": requestIdHeader, ...headers },
    ...(schema || doc.contentType
      ? {
          content: {
            [contentType]: {
              schema: schema ?? { type: "string" },
              ...(doc.example !== undefined ? { example: doc.example } : {}),
            },
          },
        }
      : {}),
  };
}

function requestBody(body: NonNullable<RouteDoc["body"]>, nameOf: NameOf, fallbackName: string) {
  const schema = ref(nameOf(body.schema, fallbackName));
  const [first = "application/json", ...others] = body.mediaTypes ?? ["application/json"];
  return {
    required: true as const,
    description: `${[first, ...others].map((t) => `\`${t}\``).join(", ")}, at most ${size(body.limit)}.`,
    content: {
      [first]: { schema, examples: body.examples },
      ...Object.fromEntries(others.map((type) => [type, { schema }])),
    },
  };
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;

/**
 * The OpenAPI 3.1 document of the API, from the route registry and the zod schemas that
 * validate requests. Pure: it runs in the worker (lazily, on the first request for it) and in Node.
 *
 * @example buildOpenApiDocument({ serverUrl: "http://localhost:8787" }).paths["/api/contact"].post
 */
export function buildOpenApiDocument(options: { serverUrl?: string; routes?: RouteDoc[] } = {}) {
  const routes = options.routes ?? ROUTE_DOCS;
  // Request bodies are documented on their input side, answers on their output side.
  const inputs = new Map<z.ZodType, string>();
  const outputs = new Map<z.ZodType, string>([[errorEnvelopeSchema, "ErrorEnvelope"]]);
  const namer =
    (names: Map<z.ZodType, string>): NameOf =>
    (schema, fallback) => {
      const name = names.get(schema) ?? SCHEMA_NAMES.get(schema) ?? fallback;
      names.set(schema, name);
      return name;
    };

  const paths: Record<string, Record<string, OperationObject>> = {};
  for (const route of routes) {
    const name = pascal(route.operationId);
    const successes = Object.entries(route.responses) as [string, ResponseDoc][];
    const responses: Record<string, ResponseObject> = {};
    for (const [status, doc] of successes) {
      const suffix = successes.length > 1 ? status : "";
      const withReplay = route.idempotent ? { ...doc, headers: { ...doc.headers, ...replayedHeader } } : doc;
      responses[status] = successResponse(withReplay, namer(outputs), `${name}Response${suffix}`);
    }
    for (const [status, codes] of errorsOf(route)) responses[status] = errorResponse(route, status, codes);

    const parameters = [
      ...parametersOf(route.params, "path"),
      ...parametersOf(route.query, "query"),
      ...parametersOf(route.headers, "header"),
      ...parametersOf(route.idempotent ? idempotencyHeaderSchema : undefined, "header"),
    ];
    const operation: OperationObject = {
      operationId: route.operationId,
      tags: [route.tag],
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      security: requiresApiKey(route.path) ? [{ ApiKey: [] }, { Bearer: [] }] : [],
      ...(route.roles ? { "x-roles": route.roles } : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(route.body ? { requestBody: requestBody(route.body, namer(inputs), `${name}Request`) } : {}),
      responses,
    };
    const template = toTemplate(route.path);
    paths[template] = { ...paths[template], [route.method]: operation };
  }

  const schemas = toComponentSchemas(inputs, "input");
  for (const [name, json] of Object.entries(toComponentSchemas(outputs, "output"))) {
    if (schemas[name]) throw new Error(`Two schemas are named ${name} in the OpenAPI document`);
    schemas[name] = json;
  }

  const used = new Set(routes.map((r) => r.tag));
  return {
    openapi: "3.1.0" as const,
    info: {
      title: "contacts-edge",
      version: API_VERSION,
      description: DESCRIPTION,
    },
    servers: [{ url: options.serverUrl ?? "/", description: "This server" }],
    tags: (Object.keys(TAGS) as Tag[]).filter((t) => used.has(t)).map((name) => ({ name, description: TAGS[name] })),
    paths,
    components: {
      securitySchemes: {
        ApiKey: { type: "apiKey", in: "header", name: "X-API-Key", description: "The API key (`cek_…`)." },
        Bearer: { type: "http", scheme: "bearer", description: "The same API key, as `Authorization: Bearer <key>`." },
      },
      headers: {
        "X-Request-Id": {
          description: "The request's id: the caller's own when it is 1–128 characters of `A-Za-z0-9._:-`.",
          required: true,
          schema: { type: "string" },
        },
      },
      schemas,
    },
  };
}
