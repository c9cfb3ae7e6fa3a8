import { eq } from "drizzle-orm";
import { ttlCache } from "../lib/ttl-cache";
import type { Db } from "./client";
import { organizations } from "./schema";

const countries = ttlCache<string | null>(60_000);

/**
 * The organization's default country (for national phone numbers), read from D1 only when a
 * request needs it, and then trusted for a minute in this isolate.
 */
export async function defaultCountryOf(db: Db, organizationId: string, now = Date.now()): Promise<string | null> {
  return countries.get(
    organizationId,
    async () => {
      const row = await db
        .select({ country: organizations.defaultCountry })
        .from(organizations)
        .where(eq(organizations.id, organizationId))
        .get();
      return row?.country ?? null;
    },
    now,
  );
}
