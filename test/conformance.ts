import { type Schema, Validator } from "@cfworker/json-schema";
import { createApp } from "../src/app";
import { openApiDocument } from "../src/routes/meta/openapi";
import { requiresApiKey } from "../src/routes/route-docs";

type JsonSchema = { [key: string]: unknown };
interface ResponseObject {
  description: string;
  headers?: Record<string, { $ref?: string; required?: boolean }>;
  content?: Record<string, { schema: JsonSchema }>;
}
interface OperationObject {
  operationId: string;
  responses: Record<string, ResponseObject>;
}

// Every response the test suite receives through `api()` is checked against the OpenAPI
// document: its route, status, media type, required headers and JSON body. The document cannot
// promise what the worker does not do, and the worker cannot answer what the document omits.

/** The document the worker serves, as plain JSON. */
export const doc = JSON.parse(JSON.stringify(openApiDocument(createApp()))) as {
  paths: Record<string, Record<string, OperationObject>>;
  components: { headers: Record<string, unknown>; schemas: Record<string, JsonSchema> };
};

const operations = Object.entries(doc.paths).flatMap(([template, item]) =>
  Object.entries(item).map(([method, op]) => ({
    method: method.toUpperCase(),
    template,
    pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`),
    op,
  })),
);

/**
 * The answers a path gets before any route is matched: the app-wide 404 and 405, and under
 * `/api` the key check and the rate limit (documented in `info.description`).
 */
const appWideStatuses = (path: string) => (requiresApiKey(path) ? [401, 404, 405, 429, 503] : [404, 405]);

const sharedHeaders: Record<string, unknown> = doc.components.headers;

const envelopeOnly: ResponseObject = {
  description: "app-wide error",
  content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorEnvelope" } } },
};

const validators = new WeakMap<JsonSchema, Validator>();
function validatorFor(schema: JsonSchema): Validator {
  let validator = validators.get(schema);
  if (!validator) {
    // The validator annotates the schema objects it indexes: give it copies, with the components
    // at the root so that `#/components/schemas/…` resolves as it does in the document.
    const root = structuredClone({ $ref: "#/$defs/body", $defs: { body: schema }, components: doc.components });
    validator = new Validator(root as Schema, "2020-12", false);
    validators.set(schema, validator);
  }
  return validator;
}

/** As the app routes: exact paths (no trailing slash), and a declared static path belongs to its own operations only. */
function findOperation(method: string, path: string): OperationObject | undefined {
  const wanted = method === "HEAD" ? "GET" : method;
  const candidates = operations.some((o) => o.template === path)
    ? operations.filter((o) => o.template === path)
    : operations.filter((o) => o.pattern.test(path));
  return candidates.find((o) => o.method === wanted)?.op;
}

/**
 * Throws (failing the test) unless the document describes this answer to this request.
 *
 * @example await assertDocumented(request, await exports.default.fetch(request))
 */
export async function assertDocumented(request: Request, response: Response): Promise<void> {
  const { pathname } = new URL(request.url);
  const what = `${request.method} ${pathname} → ${response.status}`;
  const op = findOperation(request.method, pathname);
  let described: ResponseObject | undefined;
  if (op) {
    described = op.responses[String(response.status)];
    if (!described) throw new Error(`${what}: this status is not in the OpenAPI document for ${op.operationId}`);
  } else {
    if (!appWideStatuses(pathname).includes(response.status)) {
      throw new Error(`${what}: no operation of the OpenAPI document serves this route`);
    }
    described = envelopeOnly;
  }

  for (const [name, header] of Object.entries(described.headers ?? {})) {
    const resolved = (typeof header.$ref === "string" ? sharedHeaders[header.$ref.split("/").pop() ?? ""] : header) as
      | { required?: boolean }
      | undefined;
    if (resolved?.required && !response.headers.has(name)) throw new Error(`${what}: header ${name} is missing`);
  }

  const mediaType = response.headers.get("Content-Type")?.split(";")[0]?.trim() ?? "";
  const content = described.content ?? {};
  if (Object.keys(content).length === 0) return;
  const media = content[mediaType];
  if (!media) throw new Error(`${what}: Content-Type ${mediaType || "(none)"} is not in the OpenAPI document`);
  if (request.method === "HEAD" || !mediaType.endsWith("json")) return;

  const result = validatorFor(media.schema).validate(await response.clone().json());
  if (!result.valid) {
    const problems = result.errors
      .slice(-5)
      .map((e) => `  ${e.instanceLocation}: ${e.error}`)
      .join("\n");
    throw new Error(`${what}: the body does not match the OpenAPI document:\n${problems}`);
  }
}
