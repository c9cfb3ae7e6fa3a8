import type { Db } from "../db/client";
import type { Finalize } from "../db/idempotency";
import { insertWebhookEndpoint, toWebhookEndpoint, type WebhookEndpoint } from "../db/webhook-endpoints";
import { validationError } from "../lib/errors";
import { uuidv7 } from "../lib/ids";
import { fieldError } from "../lib/validation";
import { EVENT_TYPES, type WebhookEndpointCreateInput } from "../schemas/webhook-endpoint";
import { endpointsChanged } from "./events/outbox";

/** `whsec_` + base64 of 32 random bytes: the Standard Webhooks secret format. */
export function newEndpointSecret(): string {
  return `whsec_${btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))))}`;
}

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1"]);

/**
 * `https:` always; `http:` only to `localhost` / `127.0.0.1` and only where the worker allows it
 * (`ALLOW_HTTP_WEBHOOK_ENDPOINTS="true"`: local development and tests, never the deployed worker).
 */
export function isAllowedEndpointUrl(url: string, allowHttp: boolean): boolean {
  const { protocol, hostname } = new URL(url);
  return protocol === "https:" || (protocol === "http:" && allowHttp && LOCAL_HOSTS.has(hostname));
}

/**
 * Registers an endpoint and mints its signing secret, returned here and kept in D1 (every delivery
 * is signed with it). The answer of an idempotent request commits in the same batch.
 *
 * @example const { endpoint, secret } = await createWebhookEndpoint(db, orgId, { url: "https://crm.example.com/in" }, false)
 */
export async function createWebhookEndpoint(
  db: Db,
  organizationId: string,
  input: WebhookEndpointCreateInput,
  allowHttp: boolean,
  finalize: Finalize,
  now = new Date(),
): Promise<WebhookEndpoint & { secret: string }> {
  if (!isAllowedEndpointUrl(input.url, allowHttp)) throw validationError([fieldError("url", "insecureUrl")]);
  const at = now.toISOString();
  const row = {
    id: uuidv7(now.getTime()),
    organizationId,
    url: input.url,
    description: input.description ?? null,
    events: JSON.stringify(input.events ? EVENT_TYPES.filter((t) => input.events?.includes(t)) : EVENT_TYPES),
    secret: newEndpointSecret(),
    createdAt: at,
    updatedAt: at,
    disabledAt: null,
  };
  const created = { ...toWebhookEndpoint(row), secret: row.secret };
  await db.batch([insertWebhookEndpoint(db, row), ...finalize(201, created)]);
  endpointsChanged(organizationId, true);
  return created;
}
