/**
 * The static assets of the Worker (public/, served by Workers Assets before the Worker is reached),
 * built by wrangler before `wrangler dev` and `wrangler deploy` ([build] in wrangler.toml):
 * - public/openapi.json: the OpenAPI document, generated from the route declarations;
 * - public/docs/swagger-ui-bundle.js and swagger-ui.css: Swagger UI (npm package swagger-ui-dist)
 *   for /docs, so that the page loads nothing from another origin;
 * - public/_internal/phone-metadata.json: the phone metadata, which the Worker reads through its
 *   ASSETS binding instead of carrying it (src/bundle/phone-metadata.ts); the Worker answers that
 *   path itself (wrangler.toml `run_worker_first`), so it is not served.
 */
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createApp } from "../src/app";
import { PHONE_METADATA_ASSET } from "../src/bundle/phone-metadata";
import { openApiDocument } from "../src/routes/meta/openapi";

const publicDir = join(import.meta.dirname, "..", "public");
mkdirSync(join(publicDir, "docs"), { recursive: true });
writeFileSync(join(publicDir, "openapi.json"), JSON.stringify(openApiDocument(createApp())));
const metadataAsset = join(publicDir, PHONE_METADATA_ASSET);
mkdirSync(dirname(metadataAsset), { recursive: true });
copyFileSync(join(import.meta.dirname, "..", "src", "lib", "phone-metadata.json"), metadataAsset);
const swagger = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
for (const file of ["swagger-ui-bundle.js", "swagger-ui.css"]) {
  copyFileSync(join(swagger, file), join(publicDir, "docs", file));
}
