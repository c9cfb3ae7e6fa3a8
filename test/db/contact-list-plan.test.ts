import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getDb } from "../../src/db/client";
import { contactListQueries } from "../../src/db/contacts";
import { CONTACT_SORT_FIELDS, contactListQuerySchema } from "../../src/schemas/contact-query";

/** SQLite's plan for a drizzle query, one line per step. */
async function planOf(query: { toSQL(): { sql: string; params: unknown[] } }): Promise<string[]> {
  const { sql, params } = query.toSQL();
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .bind(...params)
    .all<{ detail: string }>();
  return results.map((r) => r.detail);
}

function queriesFor(params: Record<string, string>) {
  return contactListQueries(getDb(env.DB), "any-organization", contactListQuerySchema.parse(params));
}

// Plans, not timings: a listing that reads the whole organization or sorts it in a temporary
// B-tree is what gets slow at 100,000 contacts, and it shows here on an empty table.
describe("GET /api/contact query plans", () => {
  for (const sortBy of CONTACT_SORT_FIELDS) {
    for (const sortOrder of ["asc", "desc"]) {
      it(`reads a page sorted by ${sortBy} ${sortOrder} in index order`, async () => {
        const plan = await planOf(queriesFor({ sortBy, sortOrder }).page);
        expect(plan).toEqual([expect.stringMatching(/^SEARCH contacts USING INDEX \w+ \(organization_id=\?/)]);
      });
    }
  }

  it("skips the rows of deep pages inside the index, live ones only", async () => {
    const plan = await planOf(queriesFor({ page: "1000", limit: "100" }).page);
    expect(plan).toEqual([
      "SEARCH contacts USING INDEX contacts_org_live_created (organization_id=? AND deleted_at=?)",
    ]);
  });

  it("counts the organization's live contacts from an index alone", async () => {
    const plan = await planOf(queriesFor({}).total);
    expect(plan).toEqual([
      expect.stringMatching(/^SEARCH contacts USING COVERING INDEX \w+ \(organization_id=\? AND deleted_at=\?\)$/),
    ]);
  });

  it("answers a search of 3+ characters from the trigram index", async () => {
    for (const query of Object.values(queriesFor({ search: "doe" }))) {
      const plan = await planOf(query);
      expect(plan).toContainEqual(expect.stringMatching(/^SCAN contacts_search VIRTUAL TABLE INDEX/));
      expect(plan).toContainEqual(expect.stringMatching(/^SEARCH contacts USING .*INDEX \w+ \(organization_id=\?/));
      expect(plan).not.toContainEqual(expect.stringMatching(/^SCAN contacts($| )/));
    }
  });

  it("reads the organization's rows in creation (≈ rowid) order for a short search", async () => {
    const { page, total } = queriesFor({ search: "do" });
    // Both indexes hold the organization's contacts in created_at order.
    for (const query of [page, total]) {
      expect(await planOf(query)).toEqual([
        expect.stringMatching(/^SEARCH contacts USING INDEX contacts_org(_live)?_created \(organization_id=\?/),
      ]);
    }
  });
});
