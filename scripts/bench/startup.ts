import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { wrangler } from "../lib/wrangler";
import type { Bundle } from "./bundle";
import { type Module, moduleFinder } from "./modules";

/** A V8 CPU profile, as `wrangler check startup` and the inspector write it. */
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
    children?: number[];
    /** Samples per line of the bundle (1-based) inside this node's function. */
    positionTicks?: { line: number; ticks: number }[];
  }[];
  samples: number[];
  timeDeltas: number[];
}

export interface Startup {
  /** Active CPU ms of each run (what `wrangler check startup` prints as "Active"), and their median. */
  activeMs: number[];
  medianActiveMs: number;
  /** Where the active time went, by package or source folder: mean ms over the runs, largest first. */
  top: { category: string; ms: number }[];
}

/** `node_modules/<package>` or `src/<file>` for a source path from the map. */
export function categoryOf(source: string): string {
  // drizzle-orm's own source maps point at `../src/…`, which lands beside the packages.
  if (source.includes("node_modules/src/")) return "drizzle-orm";
  const pkg = source.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (pkg) return pkg[1] as string;
  const src = source.lastIndexOf("/src/");
  return src >= 0 ? source.slice(src + 1) : source;
}

/** Our own code by folder (`src/schemas`), packages by name: the unit the startup table reports. */
const packageOf = (source: string) => {
  const category = categoryOf(source);
  return category.startsWith("src/") ? category.split("/").slice(0, 2).join("/") : category;
};

/**
 * Active time and its split by package, computed as wrangler computes "Active": each sample owns
 * the time delta recorded with it, `(idle)` excluded. The profile samples about once a millisecond,
 * so a startup is a few dozen samples: the split is coarse, and averaged over the runs.
 */
export function splitProfile(profile: CpuProfile, moduleOf: (url: string) => Module | undefined) {
  const category = new Map<number, string>();
  for (const node of profile.nodes) {
    const { url, lineNumber, columnNumber, functionName } = node.callFrame;
    const module = moduleOf(url);
    if (module) {
      const source =
        lineNumber < 0
          ? undefined
          : (module.sourceMap.findEntry(lineNumber, columnNumber) as { originalSource?: string }).originalSource;
      // A module's own top level and esbuild's helpers have no source; the first sample after a
      // module is compiled often lands there and carries the compile time.
      category.set(node.id, source ? packageOf(source) : "(module top level, compile)");
    } else {
      category.set(node.id, url ? `runtime ${url}` : functionName.startsWith("(") ? functionName : "native builtins");
    }
  }
  const byCategory = new Map<string, number>();
  let activeMs = 0;
  profile.timeDeltas.forEach((delta, i) => {
    const at = category.get(profile.samples[i] ?? -1) ?? "(unknown)";
    if (at === "(idle)") return;
    activeMs += delta / 1000;
    byCategory.set(at, (byCategory.get(at) ?? 0) + delta / 1000);
  });
  return { activeMs, byCategory };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

/**
 * Scenario H: `wrangler check startup` on the deployable Worker, `runs` times. Each run profiles
 * a fresh workerd loading the Worker and running its entry module's top level, as every new isolate
 * does (the other modules are compiled when first imported, by a request).
 */
export function measureStartup(bundle: Bundle, runs = 3, top = 5): Startup {
  const moduleOf = moduleFinder(bundle.modules);
  const dir = mkdtempSync(path.join(tmpdir(), "bench-startup-"));
  try {
    const activeMs: number[] = [];
    const sums = new Map<string, number>();
    for (let run = 0; run < runs; run++) {
      const outfile = path.join(dir, `startup-${run}.cpuprofile`);
      wrangler(["check", "startup", "--worker", bundle.uploadFile, "--outfile", outfile]);
      const profile = JSON.parse(readFileSync(outfile, "utf8")) as CpuProfile;
      const split = splitProfile(profile, moduleOf);
      activeMs.push(split.activeMs);
      for (const [k, ms] of split.byCategory) sums.set(k, (sums.get(k) ?? 0) + ms);
    }
    return {
      activeMs,
      medianActiveMs: median(activeMs),
      top: [...sums]
        .map(([category, ms]) => ({ category, ms: ms / runs }))
        .sort((a, b) => b.ms - a.ms)
        .slice(0, top),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
