/**
 * Fails when the README's typed-client example and test/client/readme-example.ts (which
 * `tsc -p .` typechecks) differ, so that the example in the README always compiles.
 */
import { readFileSync } from "node:fs";

const readme = readFileSync("README.md", "utf8");
const section = readme.slice(readme.indexOf("### Typed client"));
const snippet = section.match(/```ts\n([\s\S]*?)```/)?.[1];
// The file starts with a two-line comment that the README does not show.
const file = readFileSync("test/client/readme-example.ts", "utf8").split("\n").slice(2).join("\n");

if (snippet === undefined) {
  process.stderr.write("README.md: no ```ts block under ### Typed client\n");
  process.exit(1);
}
if (snippet !== file) {
  process.stderr.write(
    "README.md's typed-client example differs from test/client/readme-example.ts: copy one to the other\n",
  );
  process.exit(1);
}
process.stdout.write("README typed-client example: same as test/client/readme-example.ts (typechecked)\n");
