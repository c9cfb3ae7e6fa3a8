/**
 * `npm start`: applies local migrations, makes sure a development organization and key exist
 * (printing the key), then serves the worker with `wrangler dev` on local D1 and KV.
 * Arguments after `--` go to `wrangler dev` (`npm start -- --port 9000`).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { kvKeyOf } from "../src/db/api-keys";
import { sha256Hex } from "../src/lib/crypto";
import { createKey, createOrganization, keyRecordExists } from "./lib/keys";
import { applyMigrations, quietEnv } from "./lib/wrangler";

// The development key in clear, kept beside the local state it unlocks (both are git-ignored).
const DEV_KEY_FILE = ".wrangler/dev-key.json";

interface DevKey {
  key: string;
  organizationId: string;
}

async function ensureDevKey(): Promise<DevKey> {
  if (existsSync(DEV_KEY_FILE)) {
    const saved = JSON.parse(readFileSync(DEV_KEY_FILE, "utf8")) as DevKey;
    if (await keyRecordExists(kvKeyOf(await sha256Hex(saved.key)), "local")) return saved;
  }
  const organizationId = await createOrganization("Development", null, "local");
  const { key } = await createKey({ organizationId, name: "development", role: "admin", expiresAt: null }, "local");
  mkdirSync(".wrangler", { recursive: true });
  writeFileSync(DEV_KEY_FILE, `${JSON.stringify({ key, organizationId })}\n`, { mode: 0o600 });
  return { key, organizationId };
}

applyMigrations("local");
const dev = await ensureDevKey();
process.stdout.write(
  `\nDevelopment organization ${dev.organizationId}\nDevelopment API key      ${dev.key}\n(kept in ${DEV_KEY_FILE}; more keys: npm run --silent keys -- create)\n\n`,
);

// Local receivers (http://localhost, http://127.0.0.1) may subscribe to events here, never in the deployed worker.
const LOCAL_ONLY_VARS = ["--var", "ALLOW_HTTP_WEBHOOK_ENDPOINTS:true"];
const child = spawn("wrangler", ["dev", ...LOCAL_ONLY_VARS, ...process.argv.slice(2)], {
  stdio: "inherit",
  env: quietEnv,
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
