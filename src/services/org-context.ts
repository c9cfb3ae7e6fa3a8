import type { Db } from "../db/client";
import { liveAttributeTypes } from "../db/custom-attributes";
import { defaultCountryOf } from "../db/organizations";
import type { AttributeType } from "../schemas/custom-attribute";
import type { OrgContext } from "./contact-input";

/**
 * The organization as validation sees it; each lookup runs at most once per context, so a
 * request that builds one context reads its definitions from D1 at most once. Definitions are
 * not cached across requests: a definition created or deleted applies to the very next write.
 */
export function orgContext(db: Db, organizationId: string): OrgContext {
  let country: Promise<string | null> | undefined;
  let types: Promise<ReadonlyMap<string, AttributeType>> | undefined;
  return {
    organizationId,
    defaultCountry: () => (country ??= defaultCountryOf(db, organizationId)),
    attributeTypes: () => (types ??= liveAttributeTypes(db, organizationId)),
  };
}
