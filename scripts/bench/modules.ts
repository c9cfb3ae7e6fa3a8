import { readdirSync, readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import path from "node:path";

/** One module of the built Worker (scripts/build-worker.ts) and its source map. */
export interface Module {
  /** Its path under the build's folder, `/`-separated: `index.js`, `chunks/contacts-AB12CD34.js`. */
  name: string;
  code: string;
  map: { sources: string[]; mappings: string };
  sourceMap: SourceMap;
}

/** Every module of the build in `dir`, by name (sorted, so what is computed from them is stable). */
export function readModules(dir: string): Module[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".js"))
    .sort()
    .map((f) => {
      const map = JSON.parse(readFileSync(path.join(dir, `${f}.map`), "utf8"));
      return {
        name: f.split(path.sep).join("/"),
        code: readFileSync(path.join(dir, f), "utf8"),
        map,
        sourceMap: new SourceMap(map),
      };
    });
}

/**
 * The module a CPU profile's `url` names. workerd and wrangler's inspector name a module by a path
 * that ends with its name (`work/main/chunks/x.js`, `file:///…/worker/chunks/x.js`, or the name alone).
 */
export function moduleFinder(modules: Module[]): (url: string) => Module | undefined {
  return (url) => (url ? modules.find((m) => url === m.name || url.endsWith(`/${m.name}`)) : undefined);
}
