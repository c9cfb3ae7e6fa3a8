import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { unstable_readConfig } from "wrangler";

// wrangler does not inherit [define] into environments: without it, an environment's Worker would
// carry the documentation the others leave out (src/lib/docs.ts).
test("every environment of wrangler.toml builds the Worker with DOCS false", () => {
  const envs = [...readFileSync("wrangler.toml", "utf8").matchAll(/^\[env\.([\w-]+)\]$/gm)].map((m) => m[1]);
  assert.ok(envs.length >= 2, `environments found: ${envs.join(", ")}`);
  for (const env of [undefined, ...envs]) {
    const config = unstable_readConfig({ config: "wrangler.toml", env }, { hideWarnings: true });
    assert.equal(config.define.DOCS, "false", `[${env ? `env.${env}.` : ""}define] DOCS`);
  }
});
