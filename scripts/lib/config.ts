import { unstable_readConfig } from "wrangler";

// wrangler.toml is read by wrangler itself (`unstable_readConfig`: the reader and validator that
// `wrangler deploy` runs, so an environment means here what it means there, inheritance included),
// and written by a targeted text edit of one value: the file's comments are its documentation, and
// wrangler's own writer (`experimental_patchConfig`) refuses a TOML file that has comments.

/** What an environment of wrangler.toml needs to exist on the account before it can be deployed. */
export interface EnvResources {
  /** The Worker's name in that environment (`contacts-edge-production`). */
  workerName: string;
  d1: { binding: string; name: string; id: string | undefined; migrationsDir: string | undefined }[];
  kv: { binding: string; id: string | undefined }[];
  queues: string[];
  r2: string[];
}

/** All zeros, or no id at all: the resource has not been created yet (`npm run setup` does it). */
export const isPlaceholder = (id: string | undefined) => id === undefined || /^[0-]*$/.test(id);

/** The resources of `env` as wrangler reads them; throws (wrangler's message) for an unknown environment. */
export function readEnv(env: string, configPath = "wrangler.toml"): EnvResources {
  const config = unstable_readConfig({ config: configPath, env }, { hideWarnings: true });
  const queues = new Set<string>();
  for (const p of config.queues.producers ?? []) queues.add(p.queue);
  for (const c of config.queues.consumers ?? []) {
    queues.add(c.queue);
    if (c.dead_letter_queue) queues.add(c.dead_letter_queue);
  }
  return {
    workerName: config.name ?? `contacts-edge-${env}`,
    d1: config.d1_databases.map(
      (d: { binding: string; database_name?: string; database_id?: string; migrations_dir?: string }) => ({
        binding: d.binding,
        name: d.database_name ?? `${config.name}-${d.binding.toLowerCase()}`,
        id: d.database_id,
        migrationsDir: d.migrations_dir,
      }),
    ),
    kv: config.kv_namespaces.map((k: { binding: string; id?: string }) => ({ binding: k.binding, id: k.id })),
    queues: [...queues],
    r2: config.r2_buckets.flatMap((b: { bucket_name?: string }) => (b.bucket_name ? [b.bucket_name] : [])),
  };
}

/** The bindings of `env` whose ids are still placeholders, by binding name. */
export function placeholdersOf(resources: EnvResources): string[] {
  return [...resources.d1, ...resources.kv].filter((r) => isPlaceholder(r.id)).map((r) => r.binding);
}

/**
 * `text` with `key = "value"` set in the `[[env.<env>.<section>]]` table whose `binding` is `binding`:
 * only that line changes (or one line is added after `binding`), so comments and layout stay.
 * Throws when no such table exists, e.g. when the bindings are written inline (`d1_databases = [...]`).
 *
 * @example setBindingValue(toml, "production", "d1_databases", "DB", "database_id", "4e1c…")
 */
export function setBindingValue(
  text: string,
  env: string,
  section: string,
  binding: string,
  key: string,
  value: string,
): string {
  const lines = text.split("\n");
  const header = new RegExp(
    `^\\s*\\[\\[\\s*env\\.${escapeRegExp(env)}\\.${escapeRegExp(section)}\\s*\\]\\]\\s*(#.*)?$`,
  );
  const assignment = (name: string) => new RegExp(`^(\\s*${escapeRegExp(name)}\\s*=\\s*)"[^"]*"(.*)$`);
  for (let start = 0; start < lines.length; start++) {
    if (!header.test(lines[start] ?? "")) continue;
    let end = start + 1;
    while (end < lines.length && !/^\s*\[/.test(lines[end] ?? "")) end++;
    const block = lines.slice(start + 1, end);
    const isBinding = new RegExp(`^\\s*binding\\s*=\\s*"${escapeRegExp(binding)}"\\s*(#.*)?$`);
    const bindingLine = block.findIndex((l) => isBinding.test(l));
    if (bindingLine === -1) continue;
    const keyLine = block.findIndex((l) => assignment(key).test(l));
    if (keyLine === -1) {
      lines.splice(start + 2 + bindingLine, 0, `${key} = "${value}"`);
    } else {
      lines[start + 1 + keyLine] = (block[keyLine] ?? "").replace(assignment(key), `$1"${value}"$2`);
    }
    return lines.join("\n");
  }
  throw new Error(
    `wrangler.toml has no [[env.${env}.${section}]] table with binding = "${binding}": write the binding as such a table`,
  );
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
