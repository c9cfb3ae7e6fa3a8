import "../../lib/docs";
import { requireRole } from "../../middleware/auth";
import { jsonBody } from "../../middleware/json-body";
import { webhookSourceCreatedSchema } from "../../schemas/responses";
import { webhookSourceCreateSchema } from "../../schemas/webhook-source";
import { createWebhookSource, intakePath } from "../../services/webhook-sources";
import { baseUrlOf } from "../base-url";
import { type AppRouteHandler, defineRoute, jsonContent } from "../define-route";
import { SOURCE_EXAMPLE } from "./source-example";

const SOURCE_BODY_LIMIT = 64 * 1024;
const TOKEN_EXAMPLE = "whk_3q2-7wE_9bXk1mZp0aL4sT8uV6yR2nQ5";

export const route = defineRoute({
  method: "post",
  path: "/api/webhook-sources",
  ...(DOCS && {
    operationId: "createWebhookSource",
    tags: ["Webhooks"],
    summary: "Register a form builder",
    description:
      "Answers the intake URL `/hooks/<token>` to give the form builder. The token is the whole credential and is " +
      "shown this once (only its hash is stored). A `secret` makes the intake check the provider's signature " +
      "(Typeform, Tally, Webflow). The URL is built on the worker's `PUBLIC_BASE_URL` when it is set.",
  }),
  middleware: [requireRole("admin"), jsonBody(SOURCE_BODY_LIMIT)] as const,
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: webhookSourceCreateSchema,
          examples: {
            typeform: {
              summary: "A signed Typeform form",
              value: {
                name: "Website contact form",
                provider: "typeform",
                secret: "a-long-random-secret",
                fieldMap: { company_ref: "occupation" },
                defaultCountry: "MA",
              },
            },
          },
        },
      },
    },
  },
  responses: {
    201: {
      description: "Created: the source, its token and its intake URL.",
      headers: {
        Location: { description: "`/api/webhook-sources/<id>`.", required: true, schema: { type: "string" } },
      },
      content: jsonContent(webhookSourceCreatedSchema, {
        ...SOURCE_EXAMPLE,
        token: TOKEN_EXAMPLE,
        url: `https://contacts.example.org/hooks/${TOKEN_EXAMPLE}`,
      }),
    },
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { source, token } = await createWebhookSource(c.get("db"), c.get("auth").organizationId, c.req.valid("json"));
  c.header("Location", `/api/webhook-sources/${source.id}`);
  // Never the Host header: a client could make the answer point anywhere.
  const base = baseUrlOf(c);
  return c.json({ ...source, token, url: `${base}${intakePath(token)}` }, 201);
};
