import { type ApiKeyRecord, listAll, type Role } from "../../src/db/api-keys";
import { uuidv7 } from "../../src/lib/ids";
import {
  createApiKey,
  indexUnindexedKeys,
  type ListedKey,
  listApiKeys,
  revokeApiKey,
} from "../../src/services/api-keys";
import { wranglerKv } from "./kv";
import { d1Query, sqlString, type Target } from "./wrangler";

// Organizations live in D1 (through `wrangler d1 execute`); keys through the key service, the one
// that /api/keys runs, over `wrangler kv` (./kv.ts).

export async function createOrganization(name: string, defaultCountry: string | null, target: Target): Promise<string> {
  const id = uuidv7();
  d1Query(
    `INSERT INTO organizations (id, name, default_country, created_at) VALUES (${sqlString(id)}, ${sqlString(name)}, ${sqlString(defaultCountry)}, ${sqlString(new Date().toISOString())})`,
    target,
  );
  return id;
}

export function organizationExists(id: string, target: Target): boolean {
  return d1Query(`SELECT id FROM organizations WHERE id = ${sqlString(id)}`, target).length === 1;
}

export async function createKey(
  input: { organizationId: string; name: string; role: Role; expiresAt: string | null },
  target: Target,
): Promise<{ key: string; record: ApiKeyRecord }> {
  const { organizationId, ...rest } = input;
  return createApiKey(wranglerKv(target), organizationId, rest);
}

/** The organization's keys, newest first: no key is ever printed, only what is listed of it. */
export function listKeys(organizationId: string, target: Target): Promise<ListedKey[]> {
  return listApiKeys(wranglerKv(target), organizationId);
}

/**
 * Disables a key (kept for audit), whichever its organization: the CLI acts for the operator. A key
 * made before the organizations' index existed is indexed first. False when no key has that id.
 */
export async function revokeKey(keyId: string, target: Target): Promise<boolean> {
  const store = wranglerKv(target);
  const owner = (await listAll(store, "apikey:"))
    .map((e) => e.metadata as { keyId?: string; organizationId?: string } | undefined)
    .find((m) => m?.keyId === keyId)?.organizationId;
  if (owner === undefined) return false;
  if (await revokeApiKey(store, owner, keyId)) return true;
  await indexUnindexedKeys(store);
  return (await revokeApiKey(store, owner, keyId)) !== null;
}

/** Indexes older keys, and says whether a key with this hash entry (`apikey:<sha256>`) is stored. */
export async function keyRecordExists(kvKey: string, target: Target): Promise<boolean> {
  return (await indexUnindexedKeys(wranglerKv(target))).some((e) => e.name === kvKey);
}
