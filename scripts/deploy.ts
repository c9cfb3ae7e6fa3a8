/**
 * `npm run deploy -- --env production|staging [--dry-run] [more wrangler deploy options]`: applies the
 * environment's D1 migrations that the remote database lacks, then `wrangler deploy --env …`. Refuses,
 * with one line saying what to run, while an id of that environment is still a placeholder: a
 * forgotten `npm run setup` must not surface as a failed or half-done deploy. `--dry-run` only builds,
 * and works with placeholder ids (CI runs it).
 */
import { spawnSync } from "node:child_process";
import { placeholdersOf, readEnv } from "./lib/config";
import { quietEnv } from "./lib/wrangler";

const args = process.argv.slice(2);
const envAt = args.findIndex((a) => a === "--env" || a === "-e");
const env = envAt >= 0 ? args[envAt + 1] : args.find((a) => a.startsWith("--env="))?.slice("--env=".length);
const dryRun = args.includes("--dry-run");

function refuse(line: string): never {
  process.stderr.write(`deploy: ${line}\n`);
  process.exit(1);
}

if (!env || env.startsWith("-")) {
  refuse(
    "say which environment: npm run deploy -- --env production (or staging); the top level of wrangler.toml is local development only",
  );
}
let resources: ReturnType<typeof readEnv>;
try {
  resources = readEnv(env);
} catch (err) {
  refuse(
    String((err as Error).message)
      .split("\n")
      .slice(0, 2)
      .join(" "),
  );
}
const placeholders = placeholdersOf(resources);
if (placeholders.length > 0 && !dryRun) {
  refuse(
    `wrangler.toml has placeholder ids for ${placeholders.join(", ")} in [env.${env}]: run \`npm run setup -- --env ${env}\` first`,
  );
}

/** Runs wrangler with the terminal attached; stops at the first failure. */
function run(wranglerArgs: string[]): void {
  const { status } = spawnSync("wrangler", wranglerArgs, { stdio: "inherit", env: quietEnv });
  if (status !== 0) process.exit(status ?? 1);
}

if (!dryRun) {
  // Before the upload: a migration only adds, so the running version keeps working (docs/deploy.md).
  for (const { binding, migrationsDir } of resources.d1) {
    if (migrationsDir) run(["d1", "migrations", "apply", binding, "--remote", "--env", env]);
  }
}
run(["deploy", ...args]);
