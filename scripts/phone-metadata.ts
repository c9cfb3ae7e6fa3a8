/**
 * `npm run phone-metadata`: writes src/lib/phone-metadata.json, libphonenumber-js's full ("max")
 * metadata without its formatting data (scripts/lib/phone-metadata.ts). Run it after upgrading
 * libphonenumber-js: test/lib/phone-metadata.test.ts fails until the file matches the package.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { type PhoneMetadata, withoutFormatting } from "./lib/phone-metadata";

const max = createRequire(import.meta.url).resolve("libphonenumber-js/metadata.max.json");
const file = path.resolve(import.meta.dirname, "../src/lib/phone-metadata.json");
writeFileSync(file, `${JSON.stringify(withoutFormatting(JSON.parse(readFileSync(max, "utf8")) as PhoneMetadata))}\n`);
process.stdout.write(`written to ${path.relative(process.cwd(), file)}\n`);
