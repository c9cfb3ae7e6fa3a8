import "../../lib/docs";
import type { OpenAPIHono } from "@hono/zod-openapi";
import * as z from "zod";
import { EXAMPLE_TIME, REFERENCE_CONTACT } from "../../schemas/examples";
import { contactChangedEventSchema, contactRemovedEventSchema, errorEnvelopeSchema } from "../../schemas/responses";
import { EVENT_TYPES } from "../../schemas/webhook-endpoint";
import type { AppEnv } from "../../types";
import { type AppRouteHandler, defineRoute, jsonContent } from "../define-route";

export const API_VERSION = "0.2.0";

/** The tags of the document, in the order the docs page shows them. */
const TAGS = {
  Contacts: "Create, read, update, delete and bulk-upsert contacts. Every contact belongs to the key's organization.",
  Import: "The four-step import of a CSV file: upload, validate, execute, follow (docs/import.md).",
  "Custom attributes": "Typed definitions for the values of `customAttributes`.",
  Webhooks: "Form builders (Typeform, Tally, Webflow, Jotform, plain forms) posting contacts without an API key.",
  "API keys": "The organization's keys: made, listed and revoked by its admins.",
  Events:
    "Outbound events: endpoints subscribed to contact changes, their deliveries and retries. The payloads are in " +
    "the document's `webhooks` section.",
  Account: "Who the API key belongs to.",
  Meta: "Liveness and this API's own description. No API key needed.",
};

const DESCRIPTION = `A contact-intake API on Cloudflare Workers: it validates contacts, files each under the
organization that owns the API key, and stores them in D1. Its contact routes follow the GoMobile contacts API.
The reference in prose is docs/api.md in the repository.

**Authentication.** Every route under \`/api\` needs an API key, sent as \`X-API-Key: <key>\` or
\`Authorization: Bearer <key>\` (either is enough; an empty header counts as absent; two different keys are
\`401\`). The organization comes only from the key.

**Errors.** Every error is JSON in one envelope (\`ErrorEnvelope\`); branch on its \`code\`. Validation failures list
each field under \`fieldErrors\` and \`fieldDetails\`, keyed by dotted path (\`customAttributes.age\`), at most 100 of them.
A path that no route serves answers \`404 NOT_FOUND\`; a path served with other methods answers
\`405 METHOD_NOT_ALLOWED\` with an \`Allow\` header. Under \`/api\`, the API key is checked first (\`401\`, \`503\`; an
address with too many failed authentications gets \`429\`), then the key's rate limit (\`429\`).

**Conventions.** JSON in and out; timestamps are ISO 8601 UTC with milliseconds; ids are UUIDv7.
Every response carries \`X-Request-Id\` (an incoming one of 1–255 characters of \`A-Za-z0-9_-=\` is echoed).`;

const EVENT_DESCRIPTIONS: Record<(typeof EVENT_TYPES)[number], string> = {
  "contact.created": "A contact was created: by `POST /api/contact`, an upsert, a webhook intake or a file import.",
  "contact.updated":
    "A contact changed: `PUT`/`PATCH`, or an upsert or webhook intake item that changed it (one that changed nothing " +
    "sends nothing).",
  "contact.deleted": "A contact was deleted (soft): `data` is `{ id, deletedAt }` only.",
  "contact.erased": "A contact was erased with all its personal data: `data` is `{ id, deletedAt }` only.",
};

const signatureHeader = (name: string, description: string) => ({
  name,
  in: "header" as const,
  required: true,
  description,
  schema: { type: "string" as const },
});

/** What this API POSTs to a subscribed endpoint for one event type (Standard Webhooks). */
function eventWebhook(type: (typeof EVENT_TYPES)[number]) {
  const removed = type === "contact.deleted" || type === "contact.erased";
  const example = removed
    ? { type, timestamp: EXAMPLE_TIME, data: { id: REFERENCE_CONTACT.id, deletedAt: EXAMPLE_TIME } }
    : { type, timestamp: REFERENCE_CONTACT.updatedAt, data: REFERENCE_CONTACT };
  return {
    method: "post" as const,
    path: type,
    operationId: `${type.replace(".", "_")}_event`,
    tags: ["Events"],
    summary: type,
    // Not an API key: the receiver checks the signature.
    security: [],
    description:
      `${EVENT_DESCRIPTIONS[type]}\n\nSigned with the Standard Webhooks scheme (verify it with the ` +
      "`standardwebhooks` package and the endpoint's secret). Answer `2xx` within 10 s; anything else is retried with " +
      "exponential backoff for at least 24 hours (8 attempts). Delivery is at least once: dedupe by `webhook-id`.",
    request: {
      body: {
        required: true,
        content: {
          "application/json": { schema: removed ? contactRemovedEventSchema : contactChangedEventSchema, example },
        },
      },
    },
    parameters: [
      signatureHeader("webhook-id", "The event's id (a UUID), the same on every retry: dedupe by it."),
      signatureHeader("webhook-timestamp", "Unix seconds of this attempt."),
      signatureHeader(
        "webhook-signature",
        "`v1,` + base64 HMAC-SHA256 of `<webhook-id>.<webhook-timestamp>.<body>`, keyed by the base64-decoded part of " +
          "the secret after `whsec_`.",
      ),
    ],
    responses: { 200: { description: "Any `2xx` acknowledges the event." } },
  };
}

/**
 * The OpenAPI 3.1 document of `app`, generated from its route declarations. Pure: built in the
 * worker on the first request for it, and in Node by `scripts/openapi.ts`.
 *
 * @example openApiDocument(createApp(), "http://localhost:8787").paths["/api/contact"].post
 */
export function openApiDocument(app: OpenAPIHono<AppEnv>, serverUrl = "/") {
  const registry = app.openAPIRegistry;
  registry.register("ErrorEnvelope", errorEnvelopeSchema);
  registry.registerComponent("securitySchemes", "ApiKey", {
    type: "apiKey",
    in: "header",
    name: "X-API-Key",
    description: "The API key (`cek_…`).",
  });
  registry.registerComponent("securitySchemes", "Bearer", {
    type: "http",
    scheme: "bearer",
    description: "The same API key, as `Authorization: Bearer <key>`.",
  });
  registry.registerComponent("headers", "X-Request-Id", {
    description: "The request's id: the caller's own when it is 1–255 characters of `A-Za-z0-9_-=`.",
    required: true,
    schema: { type: "string" },
  });
  for (const type of EVENT_TYPES) registry.registerWebhook(eventWebhook(type));
  return app.getOpenAPI31Document({
    openapi: "3.1.0",
    info: { title: "contacts-edge", version: API_VERSION, description: DESCRIPTION },
    servers: [{ url: serverUrl, description: "This server" }],
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
  });
}

export const route = defineRoute({
  method: "get",
  path: "/openapi.json",
  ...(DOCS && {
    operationId: "getOpenApiDocument",
    tags: ["Meta"],
    summary: "This document",
    description: "The OpenAPI 3.1 description of this API, generated from the declarations of its routes.",
  }),
  responses: {
    200: {
      description: "An OpenAPI 3.1 document.",
      content: jsonContent(
        z.looseObject({
          openapi: z.literal("3.1.0"),
          info: z.looseObject({ title: z.string(), version: z.string() }),
          paths: z.record(z.string(), z.looseObject({})),
        }),
      ),
    },
  },
});

/**
 * Serves the document generated from `app`. The deployed Worker never runs this: the build writes the
 * same document to public/openapi.json, which Workers Assets serves first (see src/bundle/zod-to-openapi.ts).
 */
export function documentHandler(
  appOf: () => OpenAPIHono<AppEnv> | Promise<OpenAPIHono<AppEnv>>,
): AppRouteHandler<typeof route> {
  let text: Promise<string> | undefined;
  return async (c) => {
    text ??= Promise.resolve(appOf()).then((app) => JSON.stringify(openApiDocument(app)));
    return c.body(await text, 200, { "Content-Type": "application/json; charset=utf-8" }) as never;
  };
}
