import type { Db } from "../../db/client";
import type { WebhookSourceRow } from "../../db/webhook-sources";
import type { OrgContext } from "../contact-input";
import { orgContext } from "../org-context";

/**
 * The organization as validation sees it for one source's deliveries: the organization's own
 * context (whatever it offers), except that the source's default country, when it has one, is
 * the one national phone numbers are read in.
 */
export function sourceOrgContext(db: Db, source: WebhookSourceRow): OrgContext {
  const org = orgContext(db, source.organizationId);
  const country = source.defaultCountry;
  return country ? { ...org, defaultCountry: () => Promise.resolve(country) } : org;
}
