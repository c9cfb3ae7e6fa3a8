import { type ApiKeyRecord, mintApiKey, type Role } from "../../src/db/api-keys";
import { uuidv7 } from "../../src/lib/ids";
import { d1Query, sqlString, type Target, wrangler } from "./wrangler";

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
) {
  const minted = await mintApiKey(input);
  putEntry(minted.kvKey, minted.record, minted.metadata, target);
  return { key: minted.key, record: minted.record };
}

/** Writes a key's KV entry: its record as the value, what listing needs as metadata. */
function putEntry(kvKey: string, record: ApiKeyRecord, metadata: unknown, target: Target): void {
  wrangler(
    [
      "kv",
      "key",
      "put",
      "--binding",
      "API_KEYS",
      kvKey,
      JSON.stringify(record),
      "--metadata",
      JSON.stringify(metadata),
    ],
    target,
  );
}

interface Listed {
  name: string;
  metadata?: { keyId?: string; organizationId?: string };
}

function listEntries(target: Target): Listed[] {
  return JSON.parse(
    wrangler(["kv", "key", "list", "--binding", "API_KEYS", "--prefix", "apikey:"], target),
  ) as Listed[];
}

function readRecord(kvKey: string, target: Target): ApiKeyRecord {
  return JSON.parse(wrangler(["kv", "key", "get", "--binding", "API_KEYS", kvKey, "--text"], target)) as ApiKeyRecord;
}

/** The organization's keys, read through KV metadata: no key is ever printed, only its record. */
export function listKeys(organizationId: string, target: Target): ApiKeyRecord[] {
  return listEntries(target)
    .filter((e) => e.metadata?.organizationId === organizationId)
    .map((e) => readRecord(e.name, target));
}

/** Marks the key disabled (kept for audit). Returns false when no key has that id. */
export function revokeKey(keyId: string, target: Target): boolean {
  const entry = listEntries(target).find((e) => e.metadata?.keyId === keyId);
  if (!entry) return false;
  putEntry(entry.name, { ...readRecord(entry.name, target), disabled: true }, entry.metadata, target);
  return true;
}

/** True when a key with this hash entry is stored and usable. */
export function keyRecordExists(kvKey: string, target: Target): boolean {
  return listEntries(target).some((e) => e.name === kvKey);
}
