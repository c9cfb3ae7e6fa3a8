import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { WORKER_DIR } from "../build-worker";
import { wrangler } from "../lib/wrangler";
import { type Composition, composition } from "./composition";
import { type Module, readModules } from "./modules";

export interface BundleSize {
  bytes: number;
  gzipBytes: number;
  /** What wrangler itself printed ("Total Upload: … KiB / gzip: … KiB"), in bytes. */
  wranglerBytes: number | null;
  wranglerGzipBytes: number | null;
  /** Gzip by package and by folder of src/, from the source map (./composition.ts). Absent from older runs. */
  composition?: Composition;
}

/** The deployable Worker, built once for F (its size) and H (its startup). */
export interface Bundle {
  /** The upload as `wrangler deploy` sends it (multipart: metadata, modules, source maps): what `wrangler check startup --worker` reads. */
  uploadFile: string;
  /** The same modules, with their source maps. */
  modules: Module[];
  size: BundleSize;
  remove(): void;
}

/**
 * The Worker that `wrangler deploy` would upload, built by `wrangler deploy --dry-run` (which runs
 * the [build] of wrangler.toml, scripts/build-worker.ts, and uploads its modules as they are). Its
 * size is all its modules' code together, source maps left out: they are not part of the Worker's size.
 */
export function buildBundle(): Bundle {
  const root = mkdtempSync(path.join(tmpdir(), "bench-bundle-"));
  const uploadFile = path.join(root, "worker.bundle");
  const printed = wrangler(["deploy", "--dry-run", "--outdir", path.join(root, "out"), "--outfile", uploadFile]);
  const modules = readModules(WORKER_DIR);
  const all = Buffer.from(modules.map((m) => m.code).join(""));
  const match = printed.match(/Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/);
  return {
    uploadFile,
    modules,
    size: {
      bytes: all.length,
      gzipBytes: gzipSync(all).length,
      wranglerBytes: match ? Math.round(Number(match[1]) * 1024) : null,
      wranglerGzipBytes: match ? Math.round(Number(match[2]) * 1024) : null,
      composition: composition(modules),
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
