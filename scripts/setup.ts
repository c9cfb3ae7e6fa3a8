/**
 * `npm run setup -- --env production|staging [--org-name <name>] [--default-country <CC>]`: makes an
 * environment of wrangler.toml ready to deploy on the Cloudflare account wrangler is logged in to.
 * Creates what is missing (the D1 databases and KV namespaces it binds, found by name first; the
 * queues and R2 buckets it names), writes their ids into that environment's tables of wrangler.toml,
 * applies the D1 migrations, and makes the first organization and its admin key if the environment
 * has no key yet. Running it again changes nothing.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { isSupportedCountry } from "libphonenumber-js/max";
import { indexUnindexedKeys } from "../src/services/api-keys";
import { type EnvResources, isPlaceholder, placeholdersOf, readEnv, setBindingValue } from "./lib/config";
import { createKey, createOrganization } from "./lib/keys";
import { wranglerKv } from "./lib/kv";
import { type Target, tryWrangler, wrangler } from "./lib/wrangler";

const CONFIG = "wrangler.toml";

function fail(message: string): never {
  process.stderr.write(`setup: ${message}\n`);
  process.exit(2);
}
const say = (line: string) => process.stdout.write(`${line}\n`);

const { values } = parseArgs({
  options: {
    env: { type: "string", short: "e" },
    "org-name": { type: "string", default: "My organization" },
    "default-country": { type: "string" },
  },
});
const env = values.env;
if (!env) fail("say which environment of wrangler.toml: npm run setup -- --env production (or staging)");
const country = values["default-country"]?.toUpperCase() ?? null;
if (country !== null && !isSupportedCountry(country)) fail("--default-country must be an ISO 3166-1 alpha-2 code");
const target: Target = { env };

function read(): EnvResources {
  try {
    return readEnv(env as string, CONFIG);
  } catch (err) {
    fail(
      String((err as Error).message)
        .split("\n")
        .slice(0, 3)
        .join(" "),
    );
  }
}

/** Creates each D1 database and KV namespace that `env` binds with a placeholder id, or finds it by name; returns the new text of wrangler.toml. */
function createStorage(resources: EnvResources, toml: string): string {
  const d1 = resources.d1.filter((d) => isPlaceholder(d.id));
  if (d1.length > 0) {
    const list = () => JSON.parse(wrangler(["d1", "list", "--json"])) as { uuid: string; name: string }[];
    let existing = list();
    for (const { binding, name } of d1) {
      let found = existing.find((db) => db.name === name);
      if (found) say(`D1 database ${name}: exists, id ${found.uuid}`);
      else {
        wrangler(["d1", "create", name]);
        existing = list();
        found = existing.find((db) => db.name === name);
        if (!found) fail(`wrangler d1 create ${name} succeeded, but wrangler d1 list does not show it`);
        say(`D1 database ${name}: created, id ${found.uuid}`);
      }
      toml = setBindingValue(toml, env as string, "d1_databases", binding, "database_id", found.uuid);
    }
  }
  const kv = resources.kv.filter((k) => isPlaceholder(k.id));
  if (kv.length > 0) {
    const list = () => JSON.parse(wrangler(["kv", "namespace", "list"])) as { id: string; title: string }[];
    let existing = list();
    for (const { binding } of kv) {
      const title = `${resources.workerName}-${binding}`;
      let found = existing.find((ns) => ns.title === title);
      if (found) say(`KV namespace ${title}: exists, id ${found.id}`);
      else {
        // No --env: wrangler would put the environment's name in front of the title.
        wrangler(["kv", "namespace", "create", title]);
        existing = list();
        found = existing.find((ns) => ns.title === title);
        if (!found)
          fail(`wrangler kv namespace create ${title} succeeded, but wrangler kv namespace list does not show it`);
        say(`KV namespace ${title}: created, id ${found.id}`);
      }
      toml = setBindingValue(toml, env as string, "kv_namespaces", binding, "id", found.id);
    }
  }
  return toml;
}

/** Queues and R2 buckets are bound by name: create those that do not exist. */
function createNamed(resources: EnvResources): void {
  for (const queue of resources.queues) {
    if (tryWrangler(["queues", "info", queue]).status === 0) continue;
    wrangler(["queues", "create", queue]);
    say(`Queue ${queue}: created`);
  }
  for (const bucket of resources.r2) {
    if (tryWrangler(["r2", "bucket", "info", bucket]).status === 0) continue;
    wrangler(["r2", "bucket", "create", bucket]);
    say(`R2 bucket ${bucket}: created`);
  }
}

const before = readFileSync(CONFIG, "utf8");
const after = createStorage(read(), before);
if (after !== before) {
  writeFileSync(CONFIG, after);
  say(`Wrote the ids into ${CONFIG} ([env.${env}]): commit that change.`);
}
const resources = read();
const left = placeholdersOf(resources);
if (left.length > 0)
  fail(`${CONFIG} still has placeholder ids for ${left.join(", ")} after the edit: set them by hand`);
createNamed(resources);

for (const { binding, migrationsDir } of resources.d1) {
  if (!migrationsDir) continue;
  wrangler(["d1", "migrations", "apply", binding], target);
  say(`D1 ${binding}: migrations applied`);
}

// The first key of a new deployment. Keys made before the organizations' index existed are indexed.
const keys = await indexUnindexedKeys(wranglerKv(target));
if (keys.length > 0) {
  say(
    `API keys: ${env} has ${keys.length} already, so no new one (more: POST /api/keys, or npm run keys -- create --env ${env}).`,
  );
} else {
  const organizationId = await createOrganization(values["org-name"], country, target);
  const { key, record } = await createKey({ organizationId, name: "admin", role: "admin", expiresAt: null }, target);
  say(
    `\nOrganization ${organizationId}\nKey id       ${record.keyId} (admin)\nAPI key      ${key}\n\nThe key is shown only this once: store it now.`,
  );
}
say(`\n${env} is set up. Next: npm run deploy -- --env ${env}`);
