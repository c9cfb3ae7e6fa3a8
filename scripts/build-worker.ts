/**
 * The Worker's code, built into dist/worker/ before `wrangler dev` and `wrangler deploy` ([build] in
 * wrangler.toml, which uploads the files as they are: `no_bundle`). One module per route group, not
 * one bundle: workerd compiles a module when it is first imported, so a new isolate compiles only
 * the entry (src/index.ts and what it imports statically) and each group on its first request
 * (src/worker.ts). esbuild's `splitting` turns every `import()` into a module of its own and code
 * shared by groups into shared chunks. Measured in docs/benchmark.md (row H).
 *
 * Otherwise the options are wrangler's own bundler's (wrangler 4: es2024, the `workerd` conditions,
 * minified, source maps), plus what makes the Worker smaller (names not kept, the aliases below, `DOCS`).
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { build, type Plugin } from "esbuild";

const root = path.join(import.meta.dirname, "..");
export const WORKER_DIR = path.join(root, "dist", "worker");

/**
 * Imports replaced by smaller modules of ours in the Worker (see the comment at the top of each file).
 * Keyed by the exact import path, as a dependency writes it.
 */
export const ALIASES: Record<string, string> = {
  zod: "src/bundle/zod.ts",
  "@asteasolutions/zod-to-openapi": "src/bundle/zod-to-openapi.ts",
  "../core/json-schema-processors.js": "src/bundle/zod-json-schema.ts",
  "../core/to-json-schema.js": "src/bundle/zod-json-schema.ts",
  "../pg-core/columns/enum.js": "src/bundle/drizzle-pg-enum.ts",
  "./relations.js": "src/bundle/drizzle-relations.ts",
  "../relations.js": "src/bundle/drizzle-relations.ts",
  "./query-builders/query.js": "src/bundle/drizzle-relational-query.ts",
  "./format.js": "src/bundle/libphonenumber-format.ts",
  "./openapi": "src/bundle/openapi-route.ts",
  "./route-docs": "src/bundle/route-docs.ts",
  // Every specifier src/ imports src/lib/phone-metadata.ts with (scripts/test/worker-build.test.ts fails if one is missing).
  "./phone-metadata": "src/bundle/phone-metadata.ts",
  "./lib/phone-metadata": "src/bundle/phone-metadata.ts",
  "../lib/phone-metadata": "src/bundle/phone-metadata.ts",
};

const aliases: Plugin = {
  name: "aliases",
  setup(b) {
    const escaped = Object.keys(ALIASES).map((k) => k.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"));
    b.onResolve({ filter: new RegExp(`^(${escaped.join("|")})$`) }, (args) => {
      const to = ALIASES[args.path];
      return to ? { path: path.join(root, to) } : undefined;
    });
  },
};

export interface BuildOptions {
  /** The Worker's entry module: src/index.ts, or the benchmark's (scripts/bench/entry.ts). */
  entry?: string;
  outdir?: string;
  /** Off for `npm run bench:profile`: one statement a line and real names, for the profile's lines. */
  minify?: boolean;
}

export async function buildWorker({ entry = "src/index.ts", outdir = WORKER_DIR, minify = true }: BuildOptions = {}) {
  rmSync(outdir, { recursive: true, force: true });
  return build({
    absWorkingDir: root,
    entryPoints: { index: path.resolve(root, entry) },
    outdir,
    // Under chunks/: wrangler.toml's `rules` make the files there ES modules (and nothing else, such as the
    // packages the tests load).
    chunkNames: "chunks/[name]-[hash]",
    bundle: true,
    splitting: true,
    format: "esm",
    target: "es2024",
    supported: { "import-source": true, using: true },
    conditions: ["workerd", "worker", "browser"],
    external: ["cloudflare:*"],
    minify,
    // wrangler keeps names by default (a `__name()` call per function and class); nothing here reads a
    // minified function's or class's name (logs carry `err.name`, set by each error class; stack traces
    // go through the uploaded source maps): −9 KB gzip, and less to run as modules load.
    keepNames: false,
    sourcemap: true,
    metafile: true,
    logLevel: "warning",
    // The documentation text of the routes is left out of the Worker (src/lib/docs.ts).
    define: { DOCS: "false", "process.env.NODE_ENV": '"production"' },
    plugins: [aliases],
  });
}

// Run as a script (wrangler's [build]: `tsx scripts/build-worker.ts [--entry <file>] [--outdir <dir>]
// [--no-minify]`), not when imported.
if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  const { values } = parseArgs({
    options: { entry: { type: "string" }, outdir: { type: "string" }, "no-minify": { type: "boolean" } },
  });
  await buildWorker({ entry: values.entry, outdir: values.outdir, minify: !values["no-minify"] });
}
