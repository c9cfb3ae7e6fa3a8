import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../db/client";
import { abortIfDefinitionsChanged, liveAttributeTypes } from "../db/custom-attributes";
import { classifyD1Failure } from "../db/failures";
import { defaultCountryOf } from "../db/organizations";
import { ApiError } from "../lib/errors";
import { ttlCache } from "../lib/ttl-cache";
import type { AttributeType } from "../schemas/custom-attribute";
import type { OrgContext } from "./contact-input";

/**
 * Definitions per organization, kept in the isolate so that a write carrying attribute values
 * makes one D1 round trip, not two. Nothing decided from this cache is trusted blindly: see
 * {@link withOrgContext}. The TTL only bounds how long an unused entry stays.
 */
const definitions = ttlCache<ReadonlyMap<string, AttributeType>>(60_000);

/** The organization as validation sees it, and the statements that keep its writes honest. */
export interface WriteContext extends OrgContext {
  /** Statements for the write's batch: they abort it when the definitions validation used are no longer the live ones. */
  writeGuards(): BatchItem<"sqlite">[];
}

/**
 * Each lookup runs at most once per context: a request reads the default country (cached a
 * minute per isolate) and the definitions (cached per isolate, guarded) only when an input needs them.
 */
function orgContext(db: Db, organizationId: string) {
  let country: Promise<string | null> | undefined;
  let types: Promise<ReadonlyMap<string, AttributeType>> | undefined;
  let used: ReadonlyMap<string, AttributeType> | undefined;
  let fromCache = false;
  const context: WriteContext = {
    organizationId,
    defaultCountry: () => (country ??= defaultCountryOf(db, organizationId)),
    attributeTypes: () =>
      (types ??= (async () => {
        let read = false;
        used = await definitions.get(organizationId, () => {
          read = true;
          return liveAttributeTypes(db, organizationId);
        });
        fromCache = !read;
        return used;
      })()),
    writeGuards: () => (used ? [abortIfDefinitionsChanged(db, organizationId, used)] : []),
  };
  /** Whether a definition served from the cache took part; if so, drops it so the next lookup reads D1. */
  const forgetCached = () => {
    if (!fromCache) return false;
    definitions.delete(organizationId);
    types = used = undefined;
    fromCache = false;
    return true;
  };
  return { context, forgetCached };
}

/** A refusal of the input, or a write aborted by {@link abortIfDefinitionsChanged}. */
function mayRestOnStaleDefinitions(err: unknown): boolean {
  if (err instanceof ApiError) return err.code === "VALIDATION_FAILED";
  const failure = classifyD1Failure(err);
  return failure?.kind === "guard" && failure.guard === "definitions-changed";
}

/**
 * Runs `work` (validation, then the write with `org.writeGuards()` in its batch) with the
 * organization's context. Definitions may come from the isolate's cache, so when `work` refuses
 * the input, or its write is aborted because the definitions changed, after using cached ones,
 * it runs once more on definitions read from D1 now. So a definition created or deleted by any
 * request, in any isolate, applies to the very next write, as without a cache.
 *
 * @param adapt the context `work` sees (a webhook source overrides the default country).
 */
export async function withOrgContext<T>(
  db: Db,
  organizationId: string,
  work: (org: WriteContext) => Promise<T>,
  adapt: (org: WriteContext) => WriteContext = (org) => org,
): Promise<T> {
  const { context, forgetCached } = orgContext(db, organizationId);
  const org = adapt(context);
  try {
    return await work(org);
  } catch (err) {
    if (!mayRestOnStaleDefinitions(err) || !forgetCached()) throw err;
    return work(org);
  }
}
