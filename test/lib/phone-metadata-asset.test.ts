import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { loadPhoneMetadata, PHONE_METADATA_ASSET, phoneMetadata } from "../../src/bundle/phone-metadata";
import json from "../../src/lib/phone-metadata.json";

/** An ASSETS binding that serves `body` with `status`, and counts its reads. */
function assets(status = 200, body: unknown = json) {
  const reads: string[] = [];
  const fetcher = {
    async fetch(url: string) {
      reads.push(new URL(url).pathname);
      return new Response(JSON.stringify(body), { status });
    },
  } as unknown as Fetcher;
  return { fetcher, reads };
}

// The Worker's build of src/lib/phone-metadata.ts (the tests use the other one, which holds the metadata).
// Its state is the isolate's: these run in order.
describe("the Worker's phone metadata: a static asset, read once per isolate", () => {
  it("is the metadata itself: build-assets copies src/lib/phone-metadata.json to the asset's path", async () => {
    // public/ is built by wrangler's [build] (npm test runs it first, in `wrangler types --check`).
    const res = await env.ASSETS.fetch(`https://assets.invalid${PHONE_METADATA_ASSET}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(json);
  });

  it("before it is loaded, reading it throws; a failed read leaves it unloaded", async () => {
    expect(() => phoneMetadata()).toThrow("not loaded");
    const missing = assets(404);
    await expect(loadPhoneMetadata(missing.fetcher)).rejects.toThrow("answered 404");
    expect(() => phoneMetadata()).toThrow("not loaded");
  });

  it("the first load reads the asset; then it is there, and the next loads read nothing (nothing to await)", async () => {
    const served = assets();
    await loadPhoneMetadata(served.fetcher);
    expect(served.reads).toEqual([PHONE_METADATA_ASSET]);
    expect(phoneMetadata()).toEqual(json);
    expect(loadPhoneMetadata(served.fetcher)).toBeUndefined();
    expect(served.reads).toHaveLength(1);
  });
});
