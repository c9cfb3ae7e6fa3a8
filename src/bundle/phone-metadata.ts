// The module "./phone-metadata" (src/lib/phone-metadata.ts, as src/lib/phone.ts,
// src/middleware/phone-metadata.ts and src/index.ts import it) in the Worker's build (ALIASES of
// scripts/build-worker.ts). The phone metadata (src/lib/phone-metadata.json, 106 KB; 32 KB gzip of the
// bundle) is not in the Worker: it is a static asset (scripts/build-assets.ts copies it to public/),
// which an isolate reads once, through the ASSETS binding, on the paths that read phones: its first
// request under /api or /hooks (src/middleware/phone-metadata.ts) and its first batch of the imports
// queue (src/index.ts). An upload 32 KB gzip smaller, and no compile of a 106 KB object literal when
// the contact routes load; such an isolate pays one read of the asset instead (docs/benchmark.md,
// row F). No module reads the metadata as it is evaluated (scripts/test/worker-build.test.ts). The
// asset's path is answered by the Worker (wrangler.toml `run_worker_first`): a 404, like any path it
// does not serve.
import type { MetadataJson } from "libphonenumber-js/core";

/** Where the static assets hold the metadata (scripts/build-assets.ts writes it there). */
export const PHONE_METADATA_ASSET = "/_internal/phone-metadata.json";

let metadata: MetadataJson | undefined;

/** The metadata, once this isolate has loaded it ({@link loadPhoneMetadata}). */
export function phoneMetadata(): MetadataJson {
  if (!metadata) throw new Error("The phone metadata is not loaded: the paths that read phones load it first");
  return metadata;
}

/**
 * Reads the metadata from the static assets, unless this isolate already has it (then `undefined`:
 * nothing to await). Requests that start together in a new isolate each read it: no request awaits
 * another's promise, which the runtime refuses.
 */
export function loadPhoneMetadata(assets: Fetcher): Promise<void> | undefined {
  return metadata ? undefined : readMetadata(assets);
}

async function readMetadata(assets: Fetcher): Promise<void> {
  // The host is never looked up: the binding serves the Worker's own assets by path.
  const res = await assets.fetch(`https://assets.invalid${PHONE_METADATA_ASSET}`);
  if (!res.ok) throw new Error(`The phone metadata asset answered ${res.status}`);
  // Another request of the isolate may have parsed it meanwhile.
  if (!metadata) metadata = await res.json<MetadataJson>();
}
