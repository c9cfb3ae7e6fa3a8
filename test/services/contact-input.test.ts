import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getDb } from "../../src/db/client";
import { ApiError } from "../../src/lib/errors";
import { type OrgContext, resolveInput, resolveInputs } from "../../src/services/contact-input";
import { withOrgContext } from "../../src/services/org-context";
import { countingD1 } from "../counting-d1";
import { api, createTenant } from "../helpers";

async function defineAll(key: string, definitions: Record<string, string>) {
  for (const [displayName, type] of Object.entries(definitions)) {
    const res = await api("/api/custom-attributes", { method: "POST", key, json: { displayName, type } });
    expect(res.status).toBe(201);
  }
}

/** Runs `work` with a fresh context over a counting D1, as one request would. */
function countedContext(organizationId: string) {
  const counter = countingD1(env.DB);
  const run = <T>(work: (org: OrgContext) => Promise<T>) => withOrgContext(getDb(counter.db), organizationId, work);
  return { run, counter };
}

async function failureOf(promise: Promise<unknown>) {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return (err as ApiError).fieldErrors.map(({ path, code }) => ({ path, code }));
}

describe("resolveInputs: typed customAttributes", () => {
  it("reads the definitions once for a whole batch, and checks and normalises every item", async () => {
    const tenant = await createTenant({ defaultCountry: "MA" });
    await defineAll(tenant.key, { Age: "number", Mobile: "phone_number", Mail: "email" });
    const { run, counter } = countedContext(tenant.organizationId);
    const inputs = Array.from({ length: 50 }, (_, i) => ({
      primaryPhone: "0612345678",
      customAttributes: { age: i, mobile: "06 12 34 56 78", mail: "A@B.IO", free: ["as", "sent"] },
    }));
    const resolved = await run(async (org) => {
      const all = await resolveInputs(inputs, org, (i) => ["data", i]);
      // Reusing the context (a second call in the same request) reads nothing more.
      await resolveInputs(inputs.slice(0, 3), org);
      return all;
    });
    expect(resolved[49]).toEqual({
      primaryPhone: "+212612345678",
      customAttributes: { age: 49, mobile: "+212612345678", mail: "a@b.io", free: ["as", "sent"] },
    });
    expect(counter.readsOf("custom_attributes")).toBe(1);
  });

  it("reads no definitions when no input carries an attribute value", async () => {
    const tenant = await createTenant();
    await defineAll(tenant.key, { Age: "number" });
    const { run, counter } = countedContext(tenant.organizationId);
    await run((org) =>
      resolveInputs(
        [
          { primaryPhone: "+212612345678" },
          { primaryPhone: "+212612345679", customAttributes: {} },
          { primaryPhone: "+212612345670", customAttributes: null },
          // Only removals: null passes whatever the type, so there is nothing to check.
          { primaryPhone: "+212612345671", customAttributes: { age: null } },
        ],
        org,
      ),
    );
    expect(counter.readsOf("custom_attributes")).toBe(0);
    expect(counter.statements).toEqual([]);
  });

  it("keys every failure of every item under its prefix, collected before throwing", async () => {
    const tenant = await createTenant();
    await defineAll(tenant.key, { Age: "number", Born: "date", Site: "url", Mobile: "phone_number" });
    const { run } = countedContext(tenant.organizationId);
    const failures = await failureOf(
      run((org) =>
        resolveInputs(
          [
            { primaryPhone: "+212612345678", customAttributes: { age: 30, born: "2024-02-29" } },
            { primaryPhone: "+212612345678", customAttributes: { age: "thirty", born: "2023-02-29", other: "x" } },
            { primaryPhone: "+2126", customAttributes: { site: "ftp://x.io", mobile: "0612345678" } },
          ],
          org,
          (i) => ["data", i],
        ),
      ),
    );
    expect(failures).toEqual([
      { path: "data.1.customAttributes.age", code: "attributeType" },
      { path: "data.1.customAttributes.born", code: "isDate" },
      { path: "data.2.primaryPhone", code: "invalidPhone" },
      { path: "data.2.customAttributes.site", code: "isUrl" },
      { path: "data.2.customAttributes.mobile", code: "missingCountryCode" },
    ]);
  });

  it("asks the default country only when a typed phone value is national", async () => {
    let asked = 0;
    const types = new Map([["mobile", "phone_number" as const]]);
    const org: OrgContext = {
      organizationId: "org",
      defaultCountry: async () => {
        asked += 1;
        return "MA";
      },
      attributeTypes: async () => types,
    };
    await resolveInput({ primaryPhone: "+212612345678", customAttributes: { mobile: "+33612345678" } }, org);
    expect(asked).toBe(0);
    const resolved = await resolveInput(
      { primaryPhone: "+212612345678", customAttributes: { mobile: "0612345678" } },
      org,
    );
    expect(asked).toBe(1);
    expect(resolved.customAttributes).toEqual({ mobile: "+212612345678" });
  });

  it("checks against the caller's organization only", async () => {
    const [a, b] = await Promise.all([createTenant(), createTenant()]);
    await defineAll(a.key, { Age: "number" });
    const input = { primaryPhone: "+212612345678", customAttributes: { age: "thirty" } };
    const resolve = (organizationId: string) =>
      withOrgContext(getDb(env.DB), organizationId, (org) => resolveInput(input, org));
    expect(await resolve(b.organizationId)).toEqual(input);
    expect(await failureOf(resolve(a.organizationId))).toEqual([
      { path: "customAttributes.age", code: "attributeType" },
    ]);
  });
});
