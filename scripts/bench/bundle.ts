import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { wrangler } from "../lib/wrangler";
import { type Composition, composition } from "./composition";

export interface BundleSize {
  bytes: number;
  gzipBytes: number;
  /** What wrangler itself printed ("Total Upload: … KiB / gzip: … KiB"), in bytes. */
  wranglerBytes: number | null;
  wranglerGzipBytes: number | null;
  /** Gzip by package and by folder of src/, from the source map (./composition.ts). Absent from older runs. */
  composition?: Composition;
}

/** The deployable bundle, built once for F (its size) and H (its startup). */
export interface Bundle {
  /** The upload as `wrangler deploy` sends it (multipart: metadata, modules, source map): what `wrangler check startup --worker` reads. */
  uploadFile: string;
  /** The same modules as files, with their source maps. */
  dir: string;
  size: BundleSize;
  remove(): void;
}

/**
 * The bundle that `wrangler deploy` would upload, built by `wrangler deploy --dry-run`. Its size
 * leaves the source maps out: they are not part of the Worker's size.
 */
export function buildBundle(): Bundle {
  const root = mkdtempSync(path.join(tmpdir(), "bench-bundle-"));
  const dir = path.join(root, "out");
  const uploadFile = path.join(root, "worker.bundle");
  const printed = wrangler(["deploy", "--dry-run", "--outdir", dir, "--outfile", uploadFile]);
  const code = readdirSync(dir)
    .filter((f) => /\.(m?js|wasm)$/.test(f))
    .map((f) => readFileSync(path.join(dir, f)));
  const all = Buffer.concat(code);
  const script = readdirSync(dir).find((f) => /\.m?js$/.test(f) && readdirSync(dir).includes(`${f}.map`));
  const match = printed.match(/Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/);
  return {
    uploadFile,
    dir,
    size: {
      bytes: all.length,
      gzipBytes: gzipSync(all).length,
      wranglerBytes: match ? Math.round(Number(match[1]) * 1024) : null,
      wranglerGzipBytes: match ? Math.round(Number(match[2]) * 1024) : null,
      composition: script
        ? composition(
            readFileSync(path.join(dir, script), "utf8"),
            JSON.parse(readFileSync(path.join(dir, `${script}.map`), "utf8")),
          )
        : undefined,
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
