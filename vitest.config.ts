import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
  return {
    plugins: [
      cloudflareTest({
        // The sources, not wrangler.toml's `main` (the built dist/worker/index.js, scripts/build-worker.ts).
        main: "./src/index.ts",
        wrangler: { configPath: "./wrangler.toml" },
        // TEST_MIGRATIONS: so the setup file can apply the migrations to each test file's D1.
        // ALLOW_HTTP_WEBHOOK_ENDPOINTS: tests subscribe http://127.0.0.1 receivers, as `npm start` allows.
        miniflare: { bindings: { TEST_MIGRATIONS: migrations, ALLOW_HTTP_WEBHOOK_ENDPOINTS: "true" } },
      }),
    ],
    // wrangler.toml's [define] makes `DOCS` false for the deployed Worker; the tests read the
    // document generated from the routes, so they build it (src/lib/docs.ts).
    define: { DOCS: "true" },
    test: {
      // scripts/test/ holds Node-side tests (npm run test:scripts), not Worker tests.
      include: ["test/**/*.test.ts"],
      setupFiles: ["./test/extend-zod.ts", "./test/apply-migrations.ts"],
      // Every request logs a JSON line; show them only for failing tests.
      silent: "passed-only",
      // A limit against hangs, not a timing assertion: property tests send hundreds of requests, on shared 2-core machines.
      testTimeout: 120_000,
    },
  };
});
