import type { Db } from "../db/client";
import { defaultCountryOf } from "../db/organizations";
import type { OrgContext } from "./contact-input";

/** The organization as validation sees it; each lookup runs at most once per request. */
export function orgContext(db: Db, organizationId: string): OrgContext {
  let country: Promise<string | null> | undefined;
  return {
    organizationId,
    defaultCountry: () => (country ??= defaultCountryOf(db, organizationId)),
  };
}
