import type { KeyValueStore } from "../../src/db/api-keys";
import { type Target, tryWrangler, wrangler } from "./wrangler";

/**
 * The `API_KEYS` namespace through `wrangler kv key …`, on the target's state: what the key service
 * (src/services/api-keys.ts) runs on in the key CLI, `npm start` and `npm run setup`.
 */
export function wranglerKv(target: Target): KeyValueStore {
  const kv = (args: string[]) => ["kv", "key", ...args, "--binding", "API_KEYS"];
  const list = (prefix: string) =>
    JSON.parse(wrangler(kv(["list", "--prefix", prefix]), target)) as { name: string; metadata?: unknown }[];
  const get = (key: string): string | null => {
    // Without --text, the value's bytes as they are. A missing key: locally a line saying so, remotely a 404.
    const { status, stdout, stderr } = tryWrangler(kv(["get", key]), target);
    if (status === 0) return stdout === "Value not found\n" ? null : stdout;
    if (/\b404\b/.test(stderr)) return null;
    return wrangler(kv(["get", key]), target); // shows wrangler's error and exits
  };
  return {
    async get(key) {
      return get(key);
    },
    async getWithMetadata(key) {
      const entry = list(key).find((e) => e.name === key);
      return entry ? { value: get(key), metadata: entry.metadata ?? null } : { value: null, metadata: null };
    },
    async put(key, value, options) {
      const metadata = options?.metadata === undefined ? [] : ["--metadata", JSON.stringify(options.metadata)];
      wrangler(kv(["put", key, value, ...metadata]), target);
    },
    // `wrangler kv key list` follows KV's cursors itself.
    async list({ prefix }) {
      return { keys: list(prefix), list_complete: true };
    },
  };
}
