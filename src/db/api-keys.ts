import * as z from "zod";
import { randomToken, sha256Hex } from "../lib/crypto";
import { uuidv7 } from "../lib/ids";
import { type Role, roleSchema } from "../schemas/api-key";

export type { Role };

/** The KV record behind a key, stored under `apikey:<sha256 hex of the key>` (docs/api.md#authentication). */
export const apiKeyRecordSchema = z.object({
  keyId: z.string(),
  organizationId: z.string(),
  name: z.string(),
  role: roleSchema,
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  disabled: z.boolean(),
});
export type ApiKeyRecord = z.infer<typeof apiKeyRecordSchema>;

/** `cek_` then 32 base64url characters (192 random bits). */
export const API_KEY_PREFIX = "cek_";
export const API_KEY_PATTERN = /^cek_[A-Za-z0-9_-]{32}$/;

/**
 * The KV layout, one namespace (`API_KEYS`):
 *
 * - `apikey:<sha256>` → the record; the one entry the authentication reads. Written when a key is
 *   made and when it is revoked, never on the request path.
 * - `org:<organizationId>:key:<keyId>` → the key's hash; its metadata is the record as listed. The
 *   organization's index: one KV list with the prefix `org:<organizationId>:` lists its keys, and
 *   revoking by keyId reads this one entry.
 * - `org:<organizationId>:used:<keyId>` → when the key was last used (value and metadata), at most
 *   one write an hour. Its own entry, so that a write from a stale cached record can never undo a
 *   revocation.
 */
export const kvKeyOf = (hash: string) => `apikey:${hash}`;
export const orgPrefixOf = (organizationId: string) => `org:${organizationId}:`;
export const indexKeyOf = (organizationId: string, keyId: string) => `org:${organizationId}:key:${keyId}`;
export const usedKeyOf = (organizationId: string, keyId: string) => `org:${organizationId}:used:${keyId}`;

/** The metadata of an index entry: what listing shows, without a read per key. Well under KV's 1024 bytes. */
export const indexMetadataSchema = apiKeyRecordSchema.omit({ organizationId: true });
export type IndexMetadata = z.infer<typeof indexMetadataSchema>;
export const usedMetadataSchema = z.object({ lastUsedAt: z.string() });

export const indexMetadataOf = ({ organizationId: _, ...listed }: ApiKeyRecord): IndexMetadata => listed;

/**
 * What the key functions need of a KV namespace: the Workers binding satisfies it, and so does the
 * key CLI's adapter over `wrangler kv` (scripts/lib/kv.ts).
 */
export interface KeyValueStore {
  get(key: string): Promise<string | null>;
  getWithMetadata(key: string): Promise<{ value: string | null; metadata: unknown }>;
  put(key: string, value: string, options?: { metadata?: unknown }): Promise<void>;
  list(options: { prefix: string; cursor?: string }): Promise<{
    keys: { name: string; metadata?: unknown }[];
    list_complete: boolean;
    cursor?: string;
  }>;
}

/** Every entry under `prefix`, through all of KV's pages (1000 names each). */
export async function listAll(store: KeyValueStore, prefix: string): Promise<{ name: string; metadata?: unknown }[]> {
  const all: { name: string; metadata?: unknown }[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await store.list(cursor === undefined ? { prefix } : { prefix, cursor });
    all.push(...page.keys);
    if (page.list_complete || !page.cursor) return all;
    cursor = page.cursor;
  }
}

export async function readRecord(store: KeyValueStore, kvKey: string): Promise<ApiKeyRecord | null> {
  const raw = await store.get(kvKey);
  if (raw === null) return null;
  try {
    const parsed = apiKeyRecordSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The key's record; its metadata is what `wrangler kv key list` shows an operator. */
export const writeRecord = (store: KeyValueStore, kvKey: string, record: ApiKeyRecord) =>
  store.put(kvKey, JSON.stringify(record), {
    metadata: { keyId: record.keyId, organizationId: record.organizationId },
  });

/** The key's entry in its organization's index: the hash as value, the listed record as metadata. */
export const writeIndexEntry = (store: KeyValueStore, hash: string, record: ApiKeyRecord) =>
  store.put(indexKeyOf(record.organizationId, record.keyId), hash, { metadata: indexMetadataOf(record) });

/**
 * A new key and its record; nothing is stored yet. The key itself is returned once, to be shown
 * once; only its SHA-256 is stored.
 */
export async function mintApiKey(input: {
  organizationId: string;
  name: string;
  role: Role;
  expiresAt?: string | null;
}): Promise<{ key: string; hash: string; kvKey: string; record: ApiKeyRecord }> {
  const key = randomToken(API_KEY_PREFIX);
  const hash = await sha256Hex(key);
  const record: ApiKeyRecord = {
    keyId: uuidv7(),
    organizationId: input.organizationId,
    name: input.name,
    role: input.role,
    createdAt: new Date().toISOString(),
    expiresAt: input.expiresAt ?? null,
    disabled: false,
  };
  return { key, hash, kvKey: kvKeyOf(hash), record };
}
