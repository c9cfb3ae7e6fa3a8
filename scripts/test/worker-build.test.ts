import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { pathToFileURL } from "node:url";
import { unstable_readConfig } from "wrangler";
import { readModules } from "../bench/modules";
import { STAND_IN_KEY, standInEnv } from "../bench/stand-in-env";
import { ALIASES, buildWorker } from "../build-worker";

// One build for the tests of this file.
const outdir = mkdtempSync(path.join(tmpdir(), "worker-build-"));
const built = buildWorker({ outdir });
/** The build, with a package.json that has Node read its .js files as ES modules, as workerd does. */
const importable = built.then(() => writeFileSync(path.join(outdir, "package.json"), '{"type":"module"}'));
after(() => rmSync(outdir, { recursive: true, force: true }));

// A new isolate compiles only the entry module and what it imports statically (docs/benchmark.md, H):
// the route groups, zod and libphonenumber must be behind an `import()`.
test("the Worker's entry module imports no route group, schema, zod or phone code statically", async () => {
  const { metafile } = await built;
  const outputs = metafile.outputs;
  const entry = Object.keys(outputs).find((f) => f.endsWith("/index.js"));
  assert.ok(entry, "an index.js among the outputs");
  const seen = new Set<string>();
  const visit = (output: string) => {
    if (seen.has(output)) return;
    seen.add(output);
    for (const i of outputs[output]?.imports ?? []) if (i.kind === "import-statement" && !i.external) visit(i.path);
  };
  visit(entry);
  const inputs = [...seen].flatMap((o) => Object.keys(outputs[o]?.inputs ?? {}));
  assert.ok(inputs.includes("src/index.ts"));
  for (const input of inputs) {
    assert.doesNotMatch(
      input,
      /^src\/(routes|schemas|services)\/|node_modules\/(zod|libphonenumber-js|drizzle-orm)\//,
      input,
    );
  }
  // …and the route groups are modules of their own, loaded on demand.
  const lazy = outputs[entry]?.imports.filter((i) => i.kind === "dynamic-import") ?? [];
  assert.ok(lazy.length >= 6, `dynamic imports of the entry: ${lazy.length}`);
  assert.ok(readFileSync(path.join(outdir, "index.js"), "utf8").length < 16_000);
});

test("the Worker is built without the routes' documentation, with src/bundle's modules for the ones they replace", async () => {
  const { metafile } = await built;
  const inputs = new Set(Object.values(metafile.outputs).flatMap((o) => Object.keys(o.inputs)));
  // A summary of a route (src/routes/webhook-sources/list.ts), dropped where `DOCS` is false.
  const code = readModules(outdir)
    .map((m) => m.code)
    .join("");
  assert.ok(code.includes("webhook-sources"));
  assert.ok(!code.includes("List the sources"));
  // What ALIASES replaces is not in the Worker.
  for (const replaced of [
    "src/routes/route-docs.ts",
    "node_modules/@asteasolutions/zod-to-openapi/",
    "node_modules/libphonenumber-js/es6/format.js",
    "node_modules/drizzle-orm/relations.js",
    // A static asset instead (src/bundle/phone-metadata.ts).
    "src/lib/phone-metadata.json",
  ]) {
    assert.ok(![...inputs].some((i) => i.startsWith(replaced)), `${replaced} is not in the Worker`);
  }
  assert.ok(inputs.has(ALIASES.zod as string));
});

// The Worker reads the phone metadata only once a request has loaded it (src/bundle/phone-metadata.ts):
// a module that read it as it is evaluated (a schema's documented enum of countries, say) would fail
// to load, and with it every route of its group.
test("every module of the Worker evaluates before the phone metadata is loaded", async () => {
  await importable;
  for (const { name } of readModules(outdir)) {
    await assert.doesNotReject(import(pathToFileURL(path.join(outdir, name)).href), name);
  }
});

// The Worker's phone metadata is read from its assets by the paths that read phones, and only by them
// (src/middleware/phone-metadata.ts, the imports queue in src/index.ts): the built Worker, in Node,
// with stand-ins for its bindings (scripts/bench/stand-in-env.ts) and an ASSETS that counts its reads.
test("the built Worker reads the phone metadata from its assets once, on the paths that read phones; a failed read is a 503", async () => {
  await importable;
  const worker = (await import(pathToFileURL(path.join(outdir, "index.js")).href)).default as ExportedHandler<
    Record<string, unknown>
  > & { fetch: NonNullable<ExportedHandler["fetch"]>; queue: NonNullable<ExportedHandler["queue"]> };
  const metadata = readFileSync("src/lib/phone-metadata.json", "utf8");
  let reads = 0;
  let assetsUp = false;
  const env = standInEnv({
    fetch: async () => {
      reads++;
      return assetsUp ? new Response(metadata) : new Response("down", { status: 500 });
    },
  });
  const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext;
  const call = (method: string, route: string, body?: unknown) =>
    worker.fetch(
      new Request(`http://localhost${route}`, {
        method,
        body: body === undefined ? undefined : JSON.stringify(body),
        headers: { "x-api-key": STAND_IN_KEY, "content-type": "application/json" },
      }) as Parameters<typeof worker.fetch>[0],
      env,
      ctx,
    );
  const batch = (queueName: string) =>
    ({ queue: queueName, messages: [], ackAll() {}, retryAll() {} }) as unknown as MessageBatch;

  // Paths that read no phone read no metadata.
  assert.equal((await call("GET", "/health")).status, 200);
  await worker.queue(batch("contacts-edge-events"), env, ctx);
  assert.equal(reads, 0);
  // The assets down: the API's own 503, and the next request reads again.
  const down = await call("POST", "/api/contact", { primaryPhone: "+331" });
  assert.equal(down.status, 503);
  assert.equal(((await down.json()) as { code: string }).code, "SERVICE_UNAVAILABLE");
  assert.equal(reads, 1);
  assetsUp = true;
  // The imports queue reads it; then a contact's phone is checked against it, and nothing reads it again.
  await worker.queue(batch("contacts-edge-imports"), env, ctx);
  assert.equal(reads, 2);
  const invalid = await call("POST", "/api/contact", { primaryPhone: "+331" });
  const body = (await invalid.json()) as { code: string; fieldErrors?: Record<string, string[]> };
  assert.equal(body.code, "VALIDATION_FAILED", JSON.stringify(body));
  assert.deepEqual(body.fieldErrors, { primaryPhone: ["primaryPhone must be a valid phone number"] });
  assert.equal(reads, 2);
});

// Environments inherit how the Worker is built from the top level: each deploys the built modules.
test("every environment of wrangler.toml uploads the modules built by scripts/build-worker.ts, with its assets", () => {
  const envs = [...readFileSync("wrangler.toml", "utf8").matchAll(/^\[env\.([\w-]+)\]$/gm)].map((m) => m[1]);
  assert.ok(envs.length >= 2, `environments found: ${envs.join(", ")}`);
  for (const env of [undefined, ...envs]) {
    const config = unstable_readConfig({ config: "wrangler.toml", env }, { hideWarnings: true });
    assert.equal(path.relative(".", config.main ?? ""), "dist/worker/index.js", `${env ?? "top level"}: main`);
    assert.equal(config.no_bundle, true, `${env ?? "top level"}: no_bundle`);
    assert.match(config.build.command ?? "", /scripts\/build-worker\.ts/, `${env ?? "top level"}: [build]`);
    // The Worker reads the phone metadata from its assets, and answers the asset's path itself.
    assert.equal(config.assets?.binding, "ASSETS", `${env ?? "top level"}: the ASSETS binding`);
    assert.deepEqual(config.assets?.run_worker_first, ["/_internal/*"], `${env ?? "top level"}: run_worker_first`);
  }
});
