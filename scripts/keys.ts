/**
 * API keys and organizations, on the local state that `npm start` serves or, with
 * --env production|staging, on that environment of the Cloudflare account. The keys themselves go
 * through the key service that /api/keys runs (src/services/api-keys.ts).
 *
 *   npm run --silent keys -- create [--org <uuid>] [--org-name <name>] [--default-country <CC>]
 *                                   [--name <label>] [--role admin|manager|agent] [--expires <ISO date>]
 *                                   [--env <name>] [--json]
 *   npm run --silent keys -- list --org <uuid> [--env <name>] [--json]
 *   npm run --silent keys -- revoke <keyId> [--env <name>]
 *   npm run --silent keys -- --help
 */
import { parseArgs } from "node:util";
import { isSupportedCountry } from "libphonenumber-js/max";
import { UUID_PATTERN } from "../src/lib/ids";
import { roleSchema } from "../src/schemas/api-key";
import { createKey, createOrganization, listKeys, organizationExists, revokeKey } from "./lib/keys";
import { applyMigrations, type Target } from "./lib/wrangler";

function fail(message: string): never {
  process.stderr.write(`keys: ${message}\n`);
  process.exit(2);
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    org: { type: "string" },
    "org-name": { type: "string" },
    "default-country": { type: "string" },
    name: { type: "string" },
    role: { type: "string" },
    expires: { type: "string" },
    env: { type: "string" },
    remote: { type: "boolean", default: false },
    json: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
const [command, ...rest] = positionals;
if (values.remote && !values.env)
  fail("--remote needs --env production or --env staging (the top level is local only)");
const target: Target = values.env ? { env: values.env } : "local";

async function create() {
  const role = roleSchema.safeParse(values.role ?? "admin");
  if (!role.success) fail("--role must be admin, manager or agent");
  let expiresAt: string | null = null;
  if (values.expires !== undefined) {
    const at = Date.parse(values.expires);
    if (Number.isNaN(at)) fail("--expires must be an ISO 8601 date, such as 2027-01-31 or 2027-01-31T12:00:00Z");
    expiresAt = new Date(at).toISOString();
  }
  const country = values["default-country"]?.toUpperCase() ?? null;
  if (country !== null && !isSupportedCountry(country))
    fail("--default-country must be an ISO 3166-1 alpha-2 code, such as MA");

  // Local state may be fresh (no `npm start` yet): give it its tables, as `npm start` would. Remote
  // migrations are `npm run deploy`'s to apply, never a side effect of making a key.
  if (target === "local") applyMigrations(target);
  let organizationId = values.org;
  if (organizationId !== undefined) {
    if (!UUID_PATTERN.test(organizationId)) fail("--org must be a UUID");
    if (values["org-name"] || country)
      fail("--org-name and --default-country only apply to a new organization (no --org)");
    if (!organizationExists(organizationId, target)) fail("no organization has that id");
  } else {
    organizationId = await createOrganization(values["org-name"] ?? "My organization", country, target);
  }
  const { key, record } = await createKey(
    { organizationId, name: values.name ?? "default", role: role.data, expiresAt },
    target,
  );
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ key, keyId: record.keyId, organizationId, role: record.role })}\n`);
  } else {
    process.stdout.write(
      `Organization ${organizationId}\nKey id       ${record.keyId} (${record.role})\nAPI key      ${key}\n\nThe key is shown only this once: store it now.\n`,
    );
  }
}

async function list() {
  if (!values.org || !UUID_PATTERN.test(values.org)) fail("list needs --org <uuid>");
  const records = await listKeys(values.org, target);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(records)}\n`);
    return;
  }
  if (records.length === 0) process.stdout.write("No keys.\n");
  for (const r of records) {
    const state = r.disabled ? "revoked" : r.expiresAt && Date.parse(r.expiresAt) <= Date.now() ? "expired" : "active";
    process.stdout.write(`${r.keyId}  ${r.role.padEnd(7)}  ${state.padEnd(7)}  ${r.createdAt}  ${r.name}\n`);
  }
}

async function revoke() {
  const keyId = rest[0]?.toLowerCase();
  if (!keyId || !UUID_PATTERN.test(keyId)) fail("revoke needs a keyId (a UUID, as `keys list` shows)");
  if (!(await revokeKey(keyId, target))) fail("no key has that id");
  process.stdout.write(`Revoked ${keyId}. Edges that cached it stop accepting it within about 2 minutes.\n`);
}

const USAGE = `Usage: npm run --silent keys -- <command> [options]

  create   a key; a new organization unless --org is given
           [--org <uuid> | --org-name <name> [--default-country <CC>]]
           [--name <label>] [--role admin|manager|agent] (default admin)
           [--expires <ISO date>] [--json]
  list     --org <uuid> [--json]      the organization's keys (never the keys themselves)
  revoke   <keyId>                    disables a key; its record stays

Every command works on the local state that \`npm start\` serves, or with --env production (or staging)
on that environment of your Cloudflare account. Once a deployment has an admin key, its admins make
the other keys with POST /api/keys.
`;

if (values.help || command === "help") {
  process.stdout.write(USAGE);
  process.exit(0);
}

switch (command) {
  case "create":
    await create();
    break;
  case "list":
    await list();
    break;
  case "revoke":
    await revoke();
    break;
  default:
    fail("usage: keys create | list --org <uuid> | revoke <keyId>  (keys --help for more)");
}
