import { eq } from "drizzle-orm";
import type { Db } from "./client";
import { organizations } from "./schema";

const COUNTRY_CACHE_MS = 60_000;
const countries = new Map<string, { country: string | null; until: number }>();

/**
 * The organization's default country (for national phone numbers), read from D1 only when a
 * request needs it, and then trusted for a minute in this isolate.
 */
export async function defaultCountryOf(db: Db, organizationId: string, now = Date.now()): Promise<string | null> {
  const hit = countries.get(organizationId);
  if (hit && hit.until > now) return hit.country;
  const row = await db
    .select({ country: organizations.defaultCountry })
    .from(organizations)
    .where(eq(organizations.id, organizationId))
    .get();
  const country = row?.country ?? null;
  countries.set(organizationId, { country, until: now + COUNTRY_CACHE_MS });
  return country;
}
