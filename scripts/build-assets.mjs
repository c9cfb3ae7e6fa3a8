// Copies Swagger UI's prebuilt files (the npm package swagger-ui-dist) into public/docs/, the static
// assets that /docs loads from this origin. wrangler runs it before `wrangler dev` and `wrangler deploy`
// ([build] in wrangler.toml). Plain Node, no dependencies: it runs before anything else is built.
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const dist = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
const out = join(import.meta.dirname, "..", "public", "docs");
mkdirSync(out, { recursive: true });
for (const file of ["swagger-ui-bundle.js", "swagger-ui.css"]) copyFileSync(join(dist, file), join(out, file));
