import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getDb } from "../../src/db/client";
import { contactListQueries, deletedContactsQuery, sortColumnIsNullable } from "../../src/db/contacts";
import type { Position } from "../../src/lib/cursor";
import { CONTACT_SORT_FIELDS, contactListQuerySchema } from "../../src/schemas/contact-query";

/** SQLite's plan for a drizzle query, one line per step. */
async function planOf(query: { toSQL(): { sql: string; params: unknown[] } }): Promise<string[]> {
  const { sql, params } = query.toSQL();
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .bind(...params)
    .all<{ detail: string }>();
  return results.map((r) => r.detail);
}

function queriesFor(params: Record<string, string>, after?: Position) {
  return contactListQueries(getDb(env.DB), "any-organization", contactListQuerySchema.parse(params), after);
}

const ID = "0192f4e6-7b1a-7c3e-9a4f-2d8b6c1e5f30";
const ONE_INDEX_RANGE = [expect.stringMatching(/^SEARCH contacts USING INDEX \w+ \(organization_id=\?/)];

// Plans, not timings: a listing that reads the whole organization or sorts it in a temporary
// B-tree is what gets slow at 100,000 contacts, and it shows here on an empty table.
describe("GET /api/contact query plans", () => {
  for (const sortBy of CONTACT_SORT_FIELDS) {
    for (const sortOrder of ["asc", "desc"]) {
      it(`reads a page sorted by ${sortBy} ${sortOrder} in index order`, async () => {
        const { ranges } = queriesFor({ sortBy, sortOrder });
        expect(ranges).toHaveLength(1);
        expect(await planOf(ranges[0] as (typeof ranges)[0])).toEqual(ONE_INDEX_RANGE);
      });

      const positions: Position[] = [{ value: "2026-01-01T00:00:00.000Z", id: ID }];
      if (sortColumnIsNullable(sortBy)) positions.push({ value: null, id: ID });
      for (const after of positions) {
        it(`reads a cursor page sorted by ${sortBy} ${sortOrder} after a ${after.value ? "value" : "NULL"} as index ranges`, async () => {
          for (const range of queriesFor({ sortBy, sortOrder }, after).ranges) {
            const plan = await planOf(range);
            expect(plan).toEqual(ONE_INDEX_RANGE);
            // A range that starts at the position: a seek, not a scan of the pages before it.
            expect(plan[0]).toMatch(/(\([a-z_]+,id\)[<>]\(\?,\?\)|[a-z_]+=\? AND id[<>]\?|[a-z_]+[<>=]\?)\)$/);
          }
        });
      }
    }
  }

  it("seeks straight to the position of a sync cursor, updatedAfter or not", async () => {
    const after = { value: "2026-01-01T00:00:00.000Z", id: ID };
    for (const sortOrder of ["asc", "desc"]) {
      const params = { sortBy: "updatedAt", sortOrder, updatedAfter: "2025-01-01T00:00:00Z" };
      const [first] = queriesFor(params).ranges;
      expect(await planOf(first as NonNullable<typeof first>)).toEqual([
        expect.stringMatching(/^SEARCH contacts USING INDEX contacts_org_live_updated \(.*updated_at>\?/),
      ]);
      const [next] = queriesFor(params, after).ranges;
      expect(await planOf(next as NonNullable<typeof next>)).toEqual([
        expect.stringMatching(
          /^SEARCH contacts USING INDEX contacts_org_live_updated \(.*\(updated_at,id\)[<>]\(\?,\?\)/,
        ),
      ]);
    }
  });

  it("looks a phone or an e-mail up in an index, whatever the sort", async () => {
    for (const sortBy of CONTACT_SORT_FIELDS) {
      const [byPhone] = queriesFor({ sortBy, primaryPhone: "+212612345678" }).ranges;
      expect(await planOf(byPhone as NonNullable<typeof byPhone>)).toContainEqual(
        "SEARCH contacts USING INDEX contacts_org_phone_live (organization_id=? AND primary_phone=?)",
      );
      const [byEmail] = queriesFor({ sortBy, primaryEmail: "a@example.com" }).ranges;
      expect(await planOf(byEmail as NonNullable<typeof byEmail>)).toContainEqual(
        expect.stringMatching(/^SEARCH contacts USING INDEX contacts_org_live_email \(.*primary_email=\?/),
      );
    }
  });

  it("reads the deleted feed from the tombstone index, at any depth", async () => {
    const db = getDb(env.DB);
    const first = deletedContactsQuery(db, "org", { deletedAfter: "2026-01-01T00:00:00.000Z", limit: 100 });
    expect(await planOf(first)).toEqual([
      "SEARCH contacts USING COVERING INDEX contacts_org_deleted (organization_id=? AND deleted_at>?)",
    ]);
    const next = deletedContactsQuery(db, "org", { limit: 100 }, { value: "2026-01-01T00:00:00.000Z", id: ID });
    expect(await planOf(next)).toEqual([
      "SEARCH contacts USING COVERING INDEX contacts_org_deleted (organization_id=? AND (deleted_at,id)>(?,?))",
    ]);
  });

  it("skips the rows of deep pages inside the index, live ones only", async () => {
    const plan = await planOf(queriesFor({ page: "1000", limit: "100" }).ranges[0] as Parameters<typeof planOf>[0]);
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
    const { ranges, total } = queriesFor({ search: "doe" });
    for (const query of ranges) {
      const plan = await planOf(query);
      expect(plan).toContainEqual(expect.stringMatching(/^SCAN contacts_search VIRTUAL TABLE INDEX/));
      expect(plan).toContainEqual(expect.stringMatching(/^SEARCH contacts USING .*INDEX \w+ \(organization_id=\?/));
      expect(plan).not.toContainEqual(expect.stringMatching(/^SCAN contacts($| )/));
    }
    // The total reads the matches by rowid: its cost follows the matches, not the organization's size.
    const plan = await planOf(total);
    expect(plan).toContainEqual(expect.stringMatching(/^SCAN contacts_search VIRTUAL TABLE INDEX/));
    expect(plan).toContainEqual("SEARCH contacts USING INTEGER PRIMARY KEY (rowid=?)");
    expect(plan).not.toContainEqual(expect.stringMatching(/^SCAN contacts($| )|USING .*INDEX \w+ \(organization_id/));
  });

  it("reads the organization's rows in creation (≈ rowid) order for a short search", async () => {
    const { ranges, total } = queriesFor({ search: "do" });
    const page = ranges[0] as Parameters<typeof planOf>[0];
    // Both indexes hold the organization's contacts in created_at order.
    for (const query of [page, total]) {
      expect(await planOf(query)).toEqual([
        expect.stringMatching(/^SEARCH contacts USING INDEX contacts_org(_live)?_created \(organization_id=\?/),
      ]);
    }
  });
});
