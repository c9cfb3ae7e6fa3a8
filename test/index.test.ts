import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { getDb } from "../src/db/client";
import { purgeExpiredIdempotencyKeys } from "../src/db/idempotency";
import { idempotencyKeys } from "../src/db/schema";
import worker from "../src/index";
import { uuidv7 } from "../src/lib/ids";

const db = getDb(env.DB);
const HOUR = 3600_000;

async function seed(organizationId: string, key: string, expiresInMs: number, now: number) {
  await db.insert(idempotencyKeys).values({
    organizationId,
    key,
    requestHash: "0".repeat(64),
    status: 201,
    body: "{}",
    createdAt: new Date(now + expiresInMs - 24 * HOUR).toISOString(),
    expiresAt: new Date(now + expiresInMs).toISOString(),
  });
}

const keysOf = async (organizationId: string) =>
  (
    await db
      .select({ key: idempotencyKeys.key })
      .from(idempotencyKeys)
      .where(eq(idempotencyKeys.organizationId, organizationId))
  )
    .map((r) => r.key)
    .sort();

it("the cron trigger purges expired idempotency records and keeps live ones", async () => {
  const org = uuidv7();
  const now = Date.now();
  await seed(org, "expired-long-ago", -5 * HOUR, now);
  await seed(org, "expired-just-now", -1, now);
  await seed(org, "live", HOUR, now);
  const controller = createScheduledController({ scheduledTime: now, cron: "17 * * * *" });
  await worker.scheduled(controller, env);
  expect(await keysOf(org)).toEqual(["live"]);
});

it("purges in chunks until none is left", async () => {
  const org = uuidv7();
  const now = Date.now();
  for (let i = 0; i < 7; i++) await seed(org, `old-${i}`, -HOUR, now);
  await seed(org, "live", HOUR, now);
  expect(await purgeExpiredIdempotencyKeys(db, now, 3)).toBeGreaterThanOrEqual(7);
  expect(await keysOf(org)).toEqual(["live"]);
});
