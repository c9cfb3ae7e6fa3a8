import * as z from "zod";
import { randomToken, sha256Hex } from "../lib/crypto";
import { uuidv7 } from "../lib/ids";
import { ROLES, type Role } from "../schemas/api-key";

export type { Role };

/** The KV record behind a key, stored under `apikey:<sha256 hex of the key>` (docs/api.md#authentication). */
export const apiKeyRecordSchema = z.object({
  keyId: z.string(),
  organizationId: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  disabled: z.boolean(),
});
export type ApiKeyRecord = z.infer<typeof apiKeyRecordSchema>;

/** `cek_` then 32 base64url characters (192 random bits). */
export const API_KEY_PREFIX = "cek_";
export const API_KEY_PATTERN = /^cek_[A-Za-z0-9_-]{32}$/;

export const kvKeyOf = (hash: string) => `apikey:${hash}`;

/**
 * A new key and the KV entry that stands for it. The key itself is returned once, to be shown
 * once; only its SHA-256 is stored. Used by the key CLI and by tests.
 */
export async function mintApiKey(input: {
  organizationId: string;
  name: string;
  role: Role;
  expiresAt?: string | null;
}): Promise<{ key: string; kvKey: string; record: ApiKeyRecord; metadata: { keyId: string; organizationId: string } }> {
  const key = randomToken(API_KEY_PREFIX);
  const record: ApiKeyRecord = {
    keyId: uuidv7(),
    organizationId: input.organizationId,
    name: input.name,
    role: input.role,
    createdAt: new Date().toISOString(),
    expiresAt: input.expiresAt ?? null,
    disabled: false,
  };
  return {
    key,
    kvKey: kvKeyOf(await sha256Hex(key)),
    record,
    // KV list returns metadata without a read per key: `keys list` and `keys revoke` use it.
    metadata: { keyId: record.keyId, organizationId: record.organizationId },
  };
}
