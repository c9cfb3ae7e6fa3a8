/**
 * Fails when a typed-client example of the docs and the file under test/client/ that holds it
 * (which `tsc -p .` typechecks) differ, so that the examples in the docs always compile.
 */
import { readFileSync } from "node:fs";

const EXAMPLES = [
  { doc: "README.md", heading: "### Typed client", file: "test/client/readme-example.ts" },
  { doc: "docs/sync.md", heading: "## A complete loop", file: "test/client/sync-example.ts" },
];

let failed = false;
for (const { doc, heading, file } of EXAMPLES) {
  const text = readFileSync(doc, "utf8");
  const section = text.slice(text.indexOf(heading));
  const snippet = text.includes(heading) ? section.match(/```ts\n([\s\S]*?)```/)?.[1] : undefined;
  // The file starts with a two-line comment that the doc does not show.
  const code = readFileSync(file, "utf8").split("\n").slice(2).join("\n");
  if (snippet === undefined) {
    process.stderr.write(`${doc}: no \`\`\`ts block under ${heading}\n`);
    failed = true;
  } else if (snippet !== code) {
    process.stderr.write(`${doc}'s typed-client example differs from ${file}: copy one to the other\n`);
    failed = true;
  } else process.stdout.write(`${doc} typed-client example: same as ${file} (typechecked)\n`);
}
if (failed) process.exit(1);
