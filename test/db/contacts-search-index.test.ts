import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getDb } from "../../src/db/client";
import { insertContactIfPhoneFree, mergeIntoContact } from "../../src/db/contacts";
import { newContactRow } from "../../src/services/contacts";
import { upsertContacts } from "../../src/services/upsert";
import { createTenant, freshPhone } from "../helpers";

// Migration 0009: an update rewrites the contact's search-index entry only when a searched value
// (names, phone, e-mail) changed. With secure-delete on, every rewrite costs index pages.

/** Rows SQLite wrote for one statement, the search index's own included. */
async function rowsWritten(sql: string, ...values: unknown[]): Promise<number> {
  const { meta } = await env.DB.prepare(sql)
    .bind(...values)
    .run();
  return meta.rows_written;
}

const search = async (organizationId: string, term: string) =>
  (
    await env.DB.prepare(
      `SELECT c.id FROM contacts c WHERE c.organization_id = ? AND c.rowid IN (SELECT rowid FROM contacts_search WHERE contacts_search MATCH ?)`,
    )
      .bind(organizationId, `"${term}"`)
      .all<{ id: string }>()
  ).results.map((r) => r.id);

describe("the search index on update", () => {
  it("is left alone when no searched value changes, even when the statement sets every searched column", async () => {
    const { organizationId } = await createTenant();
    const db = getDb(env.DB);
    const rows = ["Zelda", "Zora"].map((firstName) =>
      newContactRow(organizationId, { primaryPhone: freshPhone(), firstName, lastName: "Quark" }),
    );
    for (const row of rows) await insertContactIfPhoneFree(db, row);
    const setAll = (firstName: string) =>
      `UPDATE contacts SET city = 'Rabat', first_name = ${firstName}, last_name = last_name, full_name = full_name, primary_phone = primary_phone, primary_email = primary_email WHERE id = ?`;
    // The same statement, once with the same values and once with a new first name: only the
    // second deletes and writes the index entry again (without the WHEN clause both do).
    const same = await rowsWritten(setAll("first_name"), rows[0]?.id);
    const changed = await rowsWritten(setAll("'Zinnia'"), rows[1]?.id);
    expect(same).toBeLessThan(changed);
    expect(await search(organizationId, "zelda")).toEqual([rows[0]?.id]);
    expect(await search(organizationId, "zinnia")).toEqual([rows[1]?.id]);
  });

  it("is rewritten when a searched value changes: the new one is found, the old one is not", async () => {
    const { organizationId } = await createTenant();
    const db = getDb(env.DB);
    const row = newContactRow(organizationId, { primaryPhone: freshPhone(), firstName: "Yorick", lastName: "Quill" });
    await insertContactIfPhoneFree(db, row);
    const merged = await mergeIntoContact(
      db,
      organizationId,
      row.id,
      { firstName: "Xavier" },
      new Date().toISOString(),
    );
    expect(merged).toMatchObject({ firstName: "Xavier", fullName: "Xavier Quill" });
    expect(await search(organizationId, "xavier")).toEqual([row.id]);
    expect(await search(organizationId, "yorick")).toEqual([]);
  });

  it("an upsert that changes only other fields keeps every contact findable by its unchanged name", async () => {
    const { organizationId } = await createTenant();
    const db = getDb(env.DB);
    const phones = [freshPhone(), freshPhone()];
    await upsertContacts(db, organizationId, [
      { primaryPhone: phones[0] as string, firstName: "Wilbur", lastName: "Quince" },
      { primaryPhone: phones[1] as string, firstName: "Wilbur", lastName: "Quibble" },
    ]);
    const { outcomes } = await upsertContacts(
      db,
      organizationId,
      phones.map((primaryPhone) => ({ primaryPhone, city: "Fes" })),
    );
    expect(outcomes).toEqual(["updated", "updated"]);
    expect(await search(organizationId, "wilbur")).toHaveLength(2);
    expect(await search(organizationId, "quibble")).toHaveLength(1);
  });
});
