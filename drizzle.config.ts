import { defineConfig } from "drizzle-kit";

// Generates flat NNNN_name.sql files that both wrangler and readD1Migrations read.
// Never `drizzle-kit push` against D1: wrangler tracks which migrations were applied.
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/db/schema.ts",
  out: "./migrations",
});
