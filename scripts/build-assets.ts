/**
 * The static assets of the Worker (public/, served by Workers Assets before the Worker is reached),
 * built by wrangler before `wrangler dev` and `wrangler deploy` ([build] in wrangler.toml):
 * - public/openapi.json: the OpenAPI document, generated from the route declarations;
 * - public/docs/swagger-ui-bundle.js and swagger-ui.css: Swagger UI (npm package swagger-ui-dist)
 *   for /docs, so that the page loads nothing from another origin.
 */
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createApp } from "../src/app";
import { openApiDocument } from "../src/routes/meta/openapi";

const publicDir = join(import.meta.dirname, "..", "public");
mkdirSync(join(publicDir, "docs"), { recursive: true });
writeFileSync(join(publicDir, "openapi.json"), JSON.stringify(openApiDocument(createApp())));
const swagger = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
for (const file of ["swagger-ui-bundle.js", "swagger-ui.css"]) {
  copyFileSync(join(swagger, file), join(publicDir, "docs", file));
}
