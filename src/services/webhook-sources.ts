import type { Db } from "../db/client";
import { insertWebhookSource, toWebhookSource, type WebhookSource, type WebhookSourceRow } from "../db/webhook-sources";
import { randomToken, sha256Hex } from "../lib/crypto";
import { uuidv7 } from "../lib/ids";
import type { WebhookSourceCreateInput } from "../schemas/webhook-source";

/** `whk_` then 32 base64url characters (192 random bits). */
export const WEBHOOK_TOKEN_PREFIX = "whk_";
export const WEBHOOK_TOKEN_PATTERN = /^whk_[A-Za-z0-9_-]{32}$/;

/** The intake path of a token: the token is the whole credential, so it is shown once. */
export const intakePath = (token: string) => `/hooks/${token}`;

/**
 * Registers a source and mints its token; only the token's SHA-256 is stored, so the token
 * returned here is the only copy.
 *
 * @example const { source, token } = await createWebhookSource(db, orgId, { name: "Site", provider: "tally" })
 */
export async function createWebhookSource(
  db: Db,
  organizationId: string,
  input: WebhookSourceCreateInput,
  now = new Date(),
): Promise<{ source: WebhookSource; token: string }> {
  const token = randomToken(WEBHOOK_TOKEN_PREFIX);
  const at = now.toISOString();
  const row: WebhookSourceRow = {
    id: uuidv7(now.getTime()),
    organizationId,
    name: input.name,
    provider: input.provider,
    tokenHash: await sha256Hex(token),
    secret: input.secret ?? null,
    fieldMap: JSON.stringify(input.fieldMap ?? {}),
    defaultCountry: input.defaultCountry ?? null,
    createdAt: at,
    updatedAt: at,
    revokedAt: null,
    droppedPayloads: 0,
  };
  await insertWebhookSource(db, row);
  return { source: toWebhookSource(row), token };
}
