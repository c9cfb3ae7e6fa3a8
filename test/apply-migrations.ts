import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

// Setup files run for every test file, whose storage is its own; applying is idempotent.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
