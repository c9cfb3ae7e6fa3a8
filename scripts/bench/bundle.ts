import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { wrangler } from "../lib/wrangler";

export interface BundleSize {
  bytes: number;
  gzipBytes: number;
  /** What wrangler itself printed ("Total Upload: … KiB / gzip: … KiB"), in bytes. */
  wranglerBytes: number | null;
  wranglerGzipBytes: number | null;
}

/**
 * Scenario F: the deployable bundle, built exactly as `wrangler deploy` would upload it. Source
 * maps are left out: they are not part of the Worker's size.
 */
export function bundleSize(): BundleSize {
  const outdir = mkdtempSync(path.join(tmpdir(), "bench-bundle-"));
  try {
    const printed = wrangler(["deploy", "--dry-run", "--outdir", outdir]);
    const code = readdirSync(outdir)
      .filter((f) => /\.(m?js|wasm)$/.test(f))
      .map((f) => readFileSync(path.join(outdir, f)));
    const all = Buffer.concat(code);
    const match = printed.match(/Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/);
    return {
      bytes: all.length,
      gzipBytes: gzipSync(all).length,
      wranglerBytes: match ? Math.round(Number(match[1]) * 1024) : null,
      wranglerGzipBytes: match ? Math.round(Number(match[2]) * 1024) : null,
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
