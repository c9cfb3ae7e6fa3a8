/**
 * Writes the OpenAPI document to `dist/openapi.json` (or the path given), for the linter and for
 * importing into Postman or Insomnia without a running server. The worker serves the same
 * document at `GET /openapi.json`, generated from the same route declarations.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { createApp } from "../src/app";
import { openApiDocument } from "../src/routes/meta/openapi";

const out = process.argv[2] ?? "dist/openapi.json";
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(openApiDocument(createApp()), null, 2)}\n`);
process.stdout.write(`wrote ${out}\n`);
