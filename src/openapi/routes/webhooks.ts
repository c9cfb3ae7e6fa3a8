import * as z from "zod";
import { idParamSchema } from "../../schemas/common";
import {
  hookAnswerSchema,
  webhookDeliveryPageSchema,
  webhookSourceCreatedSchema,
  webhookSourceListSchema,
  webhookSourceRevokedSchema,
  webhookSourceSchema,
} from "../../schemas/responses";
import { deliveryListQuerySchema, webhookSourceCreateSchema } from "../../schemas/webhook-source";
import { EXAMPLE_CONTACT_ID, EXAMPLE_ORGANIZATION_ID, EXAMPLE_TIME } from "../examples";
import { defineRoutes } from "../registry";

const SOURCE_ID = "0192f4e7-5c6d-7e8f-9a0b-1c2d3e4f5061";
const TOKEN = "whk_3q2-7wE_9bXk1mZp0aL4sT8uV6yR2nQ5";
const source = {
  id: SOURCE_ID,
  organizationId: EXAMPLE_ORGANIZATION_ID,
  name: "Website contact form",
  provider: "typeform",
  hasSecret: true,
  fieldMap: { company_ref: "occupation" },
  defaultCountry: "MA",
  createdAt: EXAMPLE_TIME,
  updatedAt: EXAMPLE_TIME,
  revokedAt: null,
};
const params = idParamSchema;

export const webhookDocs = defineRoutes([
  {
    method: "post",
    path: "/api/webhook-sources",
    operationId: "createWebhookSource",
    tag: "Webhooks",
    summary: "Register a form builder",
    description:
      "Answers the intake URL `/hooks/<token>` to give the form builder. The token is the whole credential and is " +
      "shown this once (only its hash is stored). A `secret` makes the intake check the provider's signature " +
      "(Typeform, Tally, Webflow).",
    roles: ["admin"],
    body: {
      schema: webhookSourceCreateSchema,
      limit: 64 * 1024,
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
    responses: {
      201: {
        description: "Created: the source, its token and its intake URL.",
        schema: webhookSourceCreatedSchema,
        example: { ...source, token: TOKEN, url: `https://contacts.example.org/hooks/${TOKEN}` },
        headers: { Location: { description: "`/api/webhook-sources/<id>`.", required: true } },
      },
    },
  },
  {
    method: "get",
    path: "/api/webhook-sources",
    operationId: "listWebhookSources",
    tag: "Webhooks",
    summary: "List the sources",
    description: "Every source of the organization, revoked ones too, newest first; never a token or a secret.",
    responses: { 200: { description: "The sources.", schema: webhookSourceListSchema, example: [source] } },
  },
  {
    method: "get",
    path: "/api/webhook-sources/:id",
    operationId: "getWebhookSource",
    tag: "Webhooks",
    summary: "Read a source",
    params,
    responses: { 200: { description: "The source.", schema: webhookSourceSchema, example: source } },
    errors: { 404: ["NOT_FOUND"] },
  },
  {
    method: "delete",
    path: "/api/webhook-sources/:id",
    operationId: "revokeWebhookSource",
    tag: "Webhooks",
    summary: "Revoke a source",
    description: "Its intake URL answers `404` from now on; the source and its delivery log stay readable.",
    roles: ["admin"],
    params,
    responses: {
      200: {
        description: "Revoked.",
        schema: webhookSourceRevokedSchema,
        example: { id: SOURCE_ID, revoked: true, revokedAt: EXAMPLE_TIME },
      },
    },
    errors: { 404: ["NOT_FOUND"] },
  },
  {
    method: "get",
    path: "/api/webhook-sources/:id/deliveries",
    operationId: "listWebhookDeliveries",
    tag: "Webhooks",
    summary: "A source's delivery log",
    description:
      "Newest first. A refused delivery keeps its raw payload and the reason: nothing a form collected is lost.",
    params,
    query: deliveryListQuerySchema,
    responses: {
      200: {
        description: "One page of deliveries.",
        schema: webhookDeliveryPageSchema,
        example: {
          data: [
            {
              id: "0192f4e8-1a2b-7c3d-8e4f-5a6b7c8d9e0f",
              sourceId: SOURCE_ID,
              eventId: "01HZX5B3K2",
              status: "created",
              httpStatus: 200,
              contactId: EXAMPLE_CONTACT_ID,
              reason: null,
              fieldErrors: null,
              fieldDetails: null,
              contentType: "application/json",
              payload: null,
              createdAt: EXAMPLE_TIME,
            },
          ],
          meta: { page: 1, limit: 20, total: 1, totalPages: 1, hasNextPage: false, hasPreviousPage: false },
        },
      },
    },
    errors: { 404: ["NOT_FOUND"] },
  },
  {
    method: "post",
    path: "/hooks/:token",
    operationId: "receiveWebhook",
    tag: "Webhooks",
    summary: "A form builder's delivery",
    description:
      "No API key: the token names the organization and the source. The payload (Typeform, Tally, Webflow, Jotform, " +
      "or plain fields) is mapped to a contact input and upserted by phone, like `POST /api/contact/upsert`. A " +
      "redelivery of the same provider event writes nothing and answers as the first did (`duplicate`). A delivery " +
      "that cannot become a contact is `422`, its payload kept in the delivery log (`deliveryId`).",
    validated: false,
    params: z.object({ token: z.string().regex(/^whk_[A-Za-z0-9_-]{32}$/) }),
    headers: z.object({
      "Typeform-Signature": z.string().optional().describe("`sha256=<base64 HMAC-SHA256 of the raw body>`"),
      "Tally-Signature": z.string().optional().describe("`<base64 HMAC-SHA256 of the raw body>`"),
      "x-webflow-timestamp": z.string().optional().describe("Milliseconds since the epoch; ±5 minutes."),
      "x-webflow-signature": z.string().optional().describe("Hex HMAC-SHA256 of `<timestamp>:<raw body>`."),
    }),
    body: {
      schema: z.record(z.string(), z.unknown()),
      limit: 256 * 1024,
      mediaTypes: ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"],
      examples: {
        fields: {
          summary: "Plain fields (provider `json` or `form`)",
          value: { phone: "+33612345678", email: "marie@example.com", first_name: "Marie", last_name: "Curie" },
        },
      },
    },
    responses: {
      200: {
        description: "The contact it became, and what was done.",
        schema: hookAnswerSchema,
        example: { contactId: EXAMPLE_CONTACT_ID, status: "created" },
      },
    },
    errors: {
      401: ["UNAUTHORIZED"],
      404: ["NOT_FOUND"],
      422: ["UNPROCESSABLE_DELIVERY"],
      429: ["RATE_LIMITED"],
      503: ["SERVICE_UNAVAILABLE"],
    },
  },
]);
