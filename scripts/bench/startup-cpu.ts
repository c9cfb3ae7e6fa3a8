import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { unstable_readConfig } from "wrangler";
import type { Bundle } from "./bundle";
import { median } from "./load";
import { cpuNs, descendantsOf } from "./proc";

/**
 * H read by the kernel's CPU counter instead of the CPU profiler. `wrangler check startup` samples
 * this startup one to three times (samples 11–39 ms apart in workerd, whatever interval is asked), so its
 * "Active" is 0 or one sample's delta, and that sample lands on wrangler's own wrapper as often as
 * on our code. Here the same startup (a fresh workerd whose first request imports the entry module,
 * as `wrangler check startup` does) is timed by the workerd process's CPU, summed over its threads
 * from /proc/<pid>/task/<tid>/schedstat (nanoseconds), around that one request. The same is done for
 * a hello-world entry, alternating with ours, and for an entry that imports every module of the
 * build at once (what startup would cost without the split into modules loaded on first use).
 */
export interface StartupCpu {
  /** CPU ms of the first request of each run, and their median: our entry. */
  entryMs: number[];
  medianEntryMs: number;
  /** The same with a hello-world entry: the runtime's own cost of a first request. */
  helloMs: number[];
  medianHelloMs: number;
  /** The same with every module of the build imported at once. */
  allModulesMs: number[];
  medianAllModulesMs: number;
}

type Modules = { type: "ESModule"; path: string; contents: string }[];
type Compatibility = { compatibilityDate?: string; compatibilityFlags?: string[] };

/** The entry wrangler's startup check uses: the Worker's main module imported by the first request. */
const wrapper = (imports: string[]) => ({
  type: "ESModule" as const,
  path: "/__startup.js",
  contents: `export default { async fetch() { await Promise.all(${JSON.stringify(imports)}.map((m) => import(m))); return new Response("ok"); } };`,
});

/** CPU ms of a fresh workerd's first request, which imports the entry. */
async function firstRequestCpuMs(modules: Modules, compatibility: Compatibility): Promise<number> {
  const mf = new Miniflare(convertV4MiniflareOptions({ name: "startup", ...compatibility, modulesRoot: "/", modules }));
  try {
    await mf.ready;
    // Miniflare runs one workerd per instance, and H runs before the bench starts any other.
    const pids = descendantsOf(process.pid)
      .filter((p) => p.comm === "workerd")
      .map((p) => p.pid);
    if (pids.length !== 1)
      throw new Error(`expected one workerd process for the startup reading, found ${pids.length}`);
    const pid = pids[0] as number;
    // Let workerd finish its own start (its other threads) before the reading starts.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const before = cpuNs(pid);
    const response = await mf.dispatchFetch("https://startup.invalid/");
    await response.text();
    const after = cpuNs(pid);
    if (!response.ok) throw new Error(`the startup reading's first request answered ${response.status}`);
    return (after - before) / 1e6;
  } finally {
    await mf.dispose();
  }
}

export async function measureStartupCpu(bundle: Bundle, runs: number): Promise<StartupCpu> {
  // The Worker's own compatibility date and flags, as wrangler reads them (its startup check takes
  // them from the upload's metadata, made from the same file).
  const config = unstable_readConfig({ config: "wrangler.toml" }, { hideWarnings: true });
  const compatibility = {
    compatibilityDate: config.compatibility_date,
    compatibilityFlags: config.compatibility_flags,
  };
  const own = bundle.modules.map((m) => ({ type: "ESModule" as const, path: `/${m.name}`, contents: m.code }));
  const entry = [wrapper(["./index.js"]), ...own];
  const all = [wrapper(bundle.modules.map((m) => `./${m.name}`)), ...own];
  const hello = [
    wrapper(["./index.js"]),
    {
      type: "ESModule" as const,
      path: "/index.js",
      contents: `export default { fetch: () => new Response("hello") };`,
    },
  ];
  const entryMs: number[] = [];
  const helloMs: number[] = [];
  const allModulesMs: number[] = [];
  for (let run = 0; run < runs; run++) {
    // Alternate the order, so that a slow moment of the machine does not fall on one kind each time.
    const order: [Modules, number[]][] = [
      [entry, entryMs],
      [hello, helloMs],
      [all, allModulesMs],
    ];
    for (const [modules, into] of run % 2 ? order.reverse() : order) {
      into.push(await firstRequestCpuMs(modules, compatibility));
    }
  }
  return {
    entryMs,
    medianEntryMs: median(entryMs),
    helloMs,
    medianHelloMs: median(helloMs),
    allModulesMs,
    medianAllModulesMs: median(allModulesMs),
  };
}
