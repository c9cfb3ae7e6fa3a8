import {
  type ApiKeyRecord,
  indexKeyOf,
  indexMetadataSchema,
  type KeyValueStore,
  kvKeyOf,
  listAll,
  mintApiKey,
  orgPrefixOf,
  readRecord,
  usedKeyOf,
  usedMetadataSchema,
  writeIndexEntry,
  writeRecord,
} from "../db/api-keys";
import { validationError } from "../lib/errors";
import { ttlCache } from "../lib/ttl-cache";
import { fieldError } from "../lib/validation";
import type { ApiKeyCreateInput } from "../schemas/api-key";

// One implementation of key management, for `/api/keys` (over the KV binding) and for the key CLI
// (over `wrangler kv`, scripts/lib/kv.ts). The layout of the entries is in src/db/api-keys.ts.

/** A key as its organization's admins see it: never the key, never its hash. */
export interface ListedKey {
  keyId: string;
  name: string;
  role: ApiKeyRecord["role"];
  createdAt: string;
  expiresAt: string | null;
  disabled: boolean;
  lastUsedAt: string | null;
}

/**
 * Makes a key for an organization and returns it, the only time it is ever seen. The index entry is
 * written before the record: a failure in between leaves a listed key that does not work, never a
 * working key that no one can list or revoke.
 *
 * @example const { key, record } = await createApiKey(env.API_KEYS, orgId, { name: "crm", role: "agent" })
 */
export async function createApiKey(
  store: KeyValueStore,
  organizationId: string,
  input: ApiKeyCreateInput,
  now = Date.now(),
): Promise<{ key: string; record: ApiKeyRecord }> {
  const expiresAt = input.expiresAt ?? null;
  if (expiresAt !== null && Date.parse(expiresAt) <= now)
    throw validationError([fieldError("expiresAt", "notInFuture")]);
  const minted = await mintApiKey({ organizationId, name: input.name, role: input.role, expiresAt });
  await writeIndexEntry(store, minted.hash, minted.record);
  await writeRecord(store, minted.kvKey, minted.record);
  return { key: minted.key, record: minted.record };
}

/**
 * The organization's keys, newest first, from one KV list (its index and the last-use entries share
 * a prefix). KV lists are eventually consistent: a key made or revoked in the last seconds, up to
 * about a minute in other regions, may show as it was.
 */
export async function listApiKeys(store: KeyValueStore, organizationId: string): Promise<ListedKey[]> {
  const prefix = orgPrefixOf(organizationId);
  const keys: ListedKey[] = [];
  const lastUsed = new Map<string, string>();
  for (const { name, metadata } of await listAll(store, prefix)) {
    const [kind, keyId] = name.slice(prefix.length).split(":");
    if (!keyId) continue;
    if (kind === "key") {
      const listed = indexMetadataSchema.safeParse(metadata);
      if (listed.success) keys.push({ ...listed.data, keyId, lastUsedAt: null });
    } else if (kind === "used") {
      const used = usedMetadataSchema.safeParse(metadata);
      if (used.success) lastUsed.set(keyId, used.data.lastUsedAt);
    }
  }
  for (const key of keys) key.lastUsedAt = lastUsed.get(key.keyId) ?? null;
  // UUIDv7 ids sort by creation time.
  return keys.sort((a, b) => (a.keyId < b.keyId ? 1 : -1));
}

/**
 * Disables one of the organization's keys; its record stays. `null` when the organization has no
 * key with this id (another organization's key included). Idempotent. The record is written first:
 * it is what the authentication reads; the index only shows it. One KV read, two writes.
 *
 * @returns the revoked key's hash, so that the caller can drop it from its isolate's cache
 */
export async function revokeApiKey(
  store: KeyValueStore,
  organizationId: string,
  keyId: string,
): Promise<{ hash: string; record: ApiKeyRecord } | null> {
  const { value: hash, metadata } = await store.getWithMetadata(indexKeyOf(organizationId, keyId));
  if (hash === null) return null;
  // The index entry holds the whole record; the record itself is read only if the entry is damaged.
  const listed = indexMetadataSchema.safeParse(metadata);
  const base = listed.success ? { ...listed.data, organizationId } : await readRecord(store, kvKeyOf(hash));
  if (base === null || base.organizationId !== organizationId) return null;
  const record = { ...base, disabled: true };
  await writeRecord(store, kvKeyOf(hash), record);
  await writeIndexEntry(store, hash, record);
  return { hash, record };
}

/**
 * Index entries for keys made before the index existed (the key CLI's older `apikey:` entries carry
 * their keyId and organizationId as metadata). Run by `npm start` and `npm run setup`; writes nothing
 * when every key is indexed.
 *
 * @returns every `apikey:` entry (its name, and its keyId and organizationId as metadata), indexed or not
 */
export async function indexUnindexedKeys(store: KeyValueStore): Promise<{ name: string; metadata?: unknown }[]> {
  const records = await listAll(store, "apikey:");
  const indexed = new Set((await listAll(store, "org:")).map((e) => e.name));
  for (const { name, metadata } of records) {
    const m = metadata as { keyId?: unknown; organizationId?: unknown } | undefined;
    if (typeof m?.keyId !== "string" || typeof m.organizationId !== "string") continue;
    if (indexed.has(indexKeyOf(m.organizationId, m.keyId))) continue;
    const record = await readRecord(store, name);
    if (record) await writeIndexEntry(store, name.slice("apikey:".length), record);
  }
  return records;
}

/** `lastUsedAt` is written about once an hour per key: at most once an hour per key from each isolate. */
export const LAST_USED_RESOLUTION_MS = 60 * 60 * 1000;
/** Keys whose use this isolate knows to be recorded less than an hour ago: their requests touch no KV. */
const recentlyRecorded = ttlCache<true>(LAST_USED_RESOLUTION_MS, 10_000);

/**
 * Records that a key was used, off the request's critical path (pass the promise to `waitUntil`).
 * `undefined` when there is nothing to do, which is every request but about one an hour per key and
 * isolate: then the stored time is read once, and written only if it is an hour old (another isolate
 * may have written it). Failures are swallowed: the time is approximate by design.
 */
export function recordKeyUse(store: KeyValueStore, record: ApiKeyRecord, now = Date.now()): Promise<void> | undefined {
  const { keyId, organizationId } = record;
  if (recentlyRecorded.peek(keyId, now)) return undefined;
  // Claimed at once, so that concurrent requests of this isolate do not record it again.
  recentlyRecorded.set(keyId, true, now);
  const key = usedKeyOf(organizationId, keyId);
  return (async () => {
    const stored = Date.parse((await store.get(key)) ?? "");
    const age = now - stored;
    if (age >= 0 && age < LAST_USED_RESOLUTION_MS) {
      recentlyRecorded.set(keyId, true, now, LAST_USED_RESOLUTION_MS - age);
      return;
    }
    const lastUsedAt = new Date(now).toISOString();
    await store.put(key, lastUsedAt, { metadata: { lastUsedAt } });
  })().catch(() => {});
}

/** Tests only: forget which keys' use was recorded. */
export function clearKeyUseCache(): void {
  recentlyRecorded.clear();
}
