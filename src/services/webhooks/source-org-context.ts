import type { WebhookSourceRow } from "../../db/webhook-sources";
import type { WriteContext } from "../org-context";

/**
 * The organization as validation sees it for one source's deliveries: the organization's own
 * context, except that the source's default country, when it has one, is the one national phone
 * numbers are read in.
 */
export function withSourceCountry(org: WriteContext, source: WebhookSourceRow): WriteContext {
  const country = source.defaultCountry;
  return country ? { ...org, defaultCountry: () => Promise.resolve(country) } : org;
}
