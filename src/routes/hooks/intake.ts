import "../../lib/docs";
import { findSourceByTokenHash } from "../../db/webhook-source-lookup";
import { sha256Hex } from "../../lib/crypto";
import { notFound } from "../../lib/errors";
import { hookRateLimit } from "../../middleware/ip-rate-limit";
import { readBody } from "../../middleware/json-body";
import { EXAMPLE_CONTACT_ID } from "../../schemas/examples";
import { hookAnswerSchema } from "../../schemas/responses";
import { WEBHOOK_TOKEN_PATTERN } from "../../services/webhook-sources";
import { receiveDelivery } from "../../services/webhooks/intake";
import { type AppRouteHandler, defineRoute, jsonContent } from "../define-route";

export const WEBHOOK_BODY_LIMIT = 256 * 1024;

const header = (name: string, description: string) => ({
  name,
  in: "header" as const,
  required: false,
  description,
  schema: { type: "string" as const },
});

// The token and the body are read by the handler, not by validators: an unusable token is a 404
// like an unknown one, and the body may be JSON or form fields, checked once the source is known.
export const route = defineRoute(
  {
    method: "post",
    path: "/hooks/{token}",
    ...(DOCS && {
      operationId: "receiveWebhook",
      tags: ["Webhooks"],
      summary: "A form builder's delivery",
      description:
        "No API key: the token names the organization and the source. The payload (Typeform, Tally, Webflow, Jotform, " +
        "or plain fields) is mapped to a contact input and upserted by phone, like `POST /api/contact/upsert`. A " +
        "redelivery of the same provider event writes nothing and answers as the first did (`duplicate`). A delivery " +
        "that cannot become a contact is `422`, its payload kept in the delivery log (`deliveryId`).\n\n" +
        `Body: \`application/json\`, \`application/x-www-form-urlencoded\` or \`multipart/form-data\`, at most ${WEBHOOK_BODY_LIMIT / 1024} KB.`,
    }),
    middleware: [hookRateLimit] as const,
    parameters: [
      {
        name: "token",
        in: "path",
        required: true,
        description: "The intake token shown once when the source was created.",
        schema: { type: "string", pattern: WEBHOOK_TOKEN_PATTERN.source },
      },
      header("Typeform-Signature", "`sha256=<base64 HMAC-SHA256 of the raw body>`"),
      header("Tally-Signature", "`<base64 HMAC-SHA256 of the raw body>`"),
      header("x-webflow-timestamp", "Milliseconds since the epoch; ±5 minutes."),
      header("x-webflow-signature", "Hex HMAC-SHA256 of `<timestamp>:<raw body>`."),
    ],
    requestBody: {
      required: true,
      content: Object.fromEntries(
        ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"].map((type) => [
          type,
          {
            schema: { type: "object", additionalProperties: true },
            ...(type === "application/json"
              ? {
                  example: {
                    phone: "+33612345678",
                    email: "marie@example.com",
                    first_name: "Marie",
                    last_name: "Curie",
                  },
                }
              : {}),
          },
        ]),
      ),
    },
    responses: {
      200: {
        description: "The contact it became, and what was done.",
        content: jsonContent(hookAnswerSchema, { contactId: EXAMPLE_CONTACT_ID, status: "created" }),
      },
    },
  },
  {
    400: ["INVALID_JSON"],
    401: ["UNAUTHORIZED"],
    404: ["NOT_FOUND"],
    413: ["PAYLOAD_TOO_LARGE"],
    415: ["UNSUPPORTED_MEDIA_TYPE"],
    422: ["UNPROCESSABLE_DELIVERY"],
    503: ["SERVICE_UNAVAILABLE"],
  },
);

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const token = c.req.param("token") ?? "";
  const db = c.get("db");
  const source = WEBHOOK_TOKEN_PATTERN.test(token) ? await findSourceByTokenHash(db, await sha256Hex(token)) : null;
  if (!source) throw notFound("Webhook source");
  const body = await readBody(c, WEBHOOK_BODY_LIMIT);
  const emit = c.get("outbox").emitter(source.organizationId);
  return c.json(await receiveDelivery(db, source, { headers: c.req.raw.headers, body }, Date.now(), emit), 200);
};
