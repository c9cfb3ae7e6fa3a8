import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getDb } from "../../src/db/client";
import { findSourceByTokenHash, SOURCE_CACHE_MS } from "../../src/db/webhook-source-lookup";
import { sha256Hex } from "../../src/lib/crypto";
import { createTenant } from "../helpers";
import { createSource } from "../webhook-helpers";

describe("findSourceByTokenHash", () => {
  it("trusts a lookup for SOURCE_CACHE_MS: the bound on a revocation made by another isolate", async () => {
    const db = getDb(env.DB);
    const t = await createTenant();
    const source = await createSource(t.key, { name: "s", provider: "form" });
    const hash = await sha256Hex(source.token);
    const now = Date.now();
    expect((await findSourceByTokenHash(db, hash, now))?.id).toBe(source.id);

    // Revoked behind this isolate's back, as another isolate's DELETE would.
    await env.DB.prepare("UPDATE webhook_sources SET revoked_at = ? WHERE id = ?")
      .bind(new Date().toISOString(), source.id)
      .run();
    expect((await findSourceByTokenHash(db, hash, now + SOURCE_CACHE_MS - 1))?.id).toBe(source.id);
    expect(await findSourceByTokenHash(db, hash, now + SOURCE_CACHE_MS + 1)).toBeNull();
  });

  it("caches unknown tokens too, so guesses cost one read per token and window", async () => {
    const db = getDb(env.DB);
    const t = await createTenant();
    const hash = await sha256Hex("whk_not-yet-known");
    const now = Date.now();
    expect(await findSourceByTokenHash(db, hash, now)).toBeNull();
    const at = new Date().toISOString();
    await env.DB.prepare(
      "INSERT INTO webhook_sources (id, organization_id, name, provider, token_hash, created_at, updated_at) VALUES (?, ?, 'late', 'form', ?, ?, ?)",
    )
      .bind(crypto.randomUUID(), t.organizationId, hash, at, at)
      .run();
    expect(await findSourceByTokenHash(db, hash, now + 1)).toBeNull();
    expect((await findSourceByTokenHash(db, hash, now + SOURCE_CACHE_MS + 1))?.name).toBe("late");
  });
});
