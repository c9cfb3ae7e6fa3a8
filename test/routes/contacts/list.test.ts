import { env } from "cloudflare:workers";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../../src/db/client";
import type { Contact, ContactRow } from "../../../src/db/contacts";
import { CONTACT_SORT_FIELDS, contactListQuerySchema } from "../../../src/schemas/contact-query";
import { listContacts } from "../../../src/services/contacts";
import { createContact, errorOf, insertContacts } from "../../contact-fixtures";
import { spyD1 } from "../../d1-spy";
import { api, createTenant, type Tenant } from "../../helpers";

interface Page {
  data: Contact[];
  meta: {
    page: number;
    limit: number;
    total: number;
    totalPages: number;
    hasNextPage: boolean;
    hasPreviousPage: boolean;
  };
}

async function list(key: string, query = ""): Promise<Page> {
  const res = await api(`/api/contact${query}`, { key });
  expect(res.status).toBe(200);
  return res.json();
}

interface CursorPage {
  data: Contact[];
  meta: { limit: number; hasNextPage: boolean; nextCursor: string | null };
}

/** Every page of a listing by cursor, in order, starting with the first numbered page. */
async function walkByCursor(key: string, params: Record<string, string>, limit: number): Promise<Contact[]> {
  const first = (await list(
    key,
    `?${new URLSearchParams({ ...params, limit: String(limit) })}`,
  )) as unknown as CursorPage;
  const all = [...first.data];
  let cursor = first.meta.nextCursor;
  while (cursor) {
    const res = await api(`/api/contact?${new URLSearchParams({ ...params, limit: String(limit), cursor })}`, { key });
    expect(res.status).toBe(200);
    const page = (await res.json()) as CursorPage;
    expect(Object.keys(page.meta)).toEqual(["limit", "hasNextPage", "nextCursor"]);
    expect(page.meta.hasNextPage).toBe(page.meta.nextCursor !== null);
    all.push(...page.data);
    cursor = page.meta.nextCursor;
  }
  return all;
}

/** Every page of a listing, in order. */
async function walk(key: string, params: Record<string, string>, limit: number): Promise<Contact[]> {
  const all: Contact[] = [];
  for (let page = 1; ; page++) {
    const { data, meta } = await list(
      key,
      `?${new URLSearchParams({ ...params, page: String(page), limit: String(limit) })}`,
    );
    all.push(...data);
    if (!meta.hasNextPage) return all;
  }
}

describe("GET /api/contact: envelope, defaults and bounds", () => {
  let tenant: Tenant;
  let created: Contact[];

  beforeAll(async () => {
    tenant = await createTenant();
    created = [];
    for (let i = 0; i < 23; i++) created.push(await createContact(tenant.key, { firstName: `Person${i}` }));
  });

  it("answers an empty organization with an empty page", async () => {
    const empty = await createTenant();
    expect(await list(empty.key)).toEqual({
      data: [],
      meta: {
        page: 1,
        limit: 20,
        total: 0,
        totalPages: 0,
        hasNextPage: false,
        hasPreviousPage: false,
        nextCursor: null,
      },
    });
  });

  it("defaults to page 1, 20 per page, newest first, with the contact object of every contact", async () => {
    const { data, meta } = await list(tenant.key);
    expect(meta).toEqual({
      page: 1,
      limit: 20,
      total: 23,
      totalPages: 2,
      hasNextPage: true,
      hasPreviousPage: false,
      nextCursor: expect.any(String),
    });
    const newestFirst = [...created].sort((a, b) =>
      a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1,
    );
    expect(data).toEqual(newestFirst.slice(0, 20));
  });

  it("serves the last page and an empty page past it", async () => {
    const second = await list(tenant.key, "?page=2");
    expect(second.data).toHaveLength(3);
    expect(second.meta).toEqual({
      page: 2,
      limit: 20,
      total: 23,
      totalPages: 2,
      hasNextPage: false,
      hasPreviousPage: true,
      nextCursor: null,
    });
    const past = await list(tenant.key, "?page=5");
    expect(past.data).toEqual([]);
    expect(past.meta).toMatchObject({ page: 5, total: 23, hasNextPage: false, hasPreviousPage: true });
  });

  it("accepts limit 1 and limit 100", async () => {
    expect((await list(tenant.key, "?limit=1")).meta).toMatchObject({ limit: 1, totalPages: 23, hasNextPage: true });
    expect((await list(tenant.key, "?limit=100")).data).toHaveLength(23);
  });

  it.each([
    ["?page=0", "page"],
    ["?page=-1", "page"],
    ["?page=abc", "page"],
    ["?page=1.5", "page"],
    ["?page=1e2", "page"],
    ["?page=", "page"],
    ["?page=1&page=2", "page"],
    ["?limit=0", "limit"],
    ["?limit=101", "limit"],
    ["?limit=ten", "limit"],
    ["?sortBy=city", "sortBy"],
    ["?sortBy=first_name", "sortBy"],
    ["?sortOrder=up", "sortOrder"],
    ["?sortOrder=ASC", "sortOrder"],
    [`?search=${"x".repeat(101)}`, "search"],
    ["?search=a&search=b", "search"],
    ["?organizationId=x", "organizationId"],
    ["?pageSize=10", "pageSize"],
  ])("answers %s with 400 naming %s", async (query, field) => {
    expect(await errorOf(await api(`/api/contact${query}`, { key: tenant.key }))).toEqual({
      status: 400,
      code: "VALIDATION_FAILED",
      fields: [field],
    });
  });

  it("accepts a search of exactly 100 characters, and treats a blank one as no search", async () => {
    expect((await list(tenant.key, `?search=${"x".repeat(100)}`)).meta.total).toBe(0);
    expect((await list(tenant.key, "?search=%20%20")).meta.total).toBe(23);
  });

  it("answers any query string with 200 or 400, never a 500", async () => {
    const param = fc.constantFrom(
      "page",
      "limit",
      "search",
      "sortBy",
      "sortOrder",
      "q",
      "cursor",
      "updatedAfter",
      "primaryPhone",
      "primaryEmail",
    );
    // Cursors of the right shape with anything inside: a forged one is a 400 too, never a 500.
    const forgedCursor = fc
      .tuple(fc.oneof(fc.string(), fc.constant(null), fc.integer()), fc.oneof(fc.uuid(), fc.string()), fc.string())
      .map((parts) => btoa(JSON.stringify(parts)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""));
    const text = fc.oneof(
      fc.string({ maxLength: 110 }),
      fc.constantFrom('"', "%", "_", "\\", "'", "NEAR(", "*", "0", "2026-01-01T00:00:00Z", "+212612345678"),
      forgedCursor,
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(param, text), { maxLength: 4 }), async (pairs) => {
        const res = await api(`/api/contact?${new URLSearchParams(pairs)}`, { key: tenant.key });
        expect([200, 400]).toContain(res.status);
      }),
      { numRuns: 100 },
    );
  });

  it("reads the page and the total in one round trip to D1", async () => {
    const sent: string[][] = [];
    const db = getDb(spyD1(env.DB, (sqls) => void sent.push(sqls)));
    const query = contactListQuerySchema.parse({ search: "person" });
    const { meta } = await listContacts(db, tenant.organizationId, query);
    expect("total" in meta && meta.total).toBe(23);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toHaveLength(2);
  });
});

/** JavaScript's reading of the documented order: NULL lowest, byte-wise text, then id, all in one direction. */
function expectedOrder(rows: ContactRow[], sortBy: (typeof CONTACT_SORT_FIELDS)[number], sortOrder: "asc" | "desc") {
  const compare = (a: string | null, b: string | null) =>
    a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1;
  const sign = sortOrder === "asc" ? 1 : -1;
  return [...rows].sort((a, b) => sign * (compare(a[sortBy], b[sortBy]) || compare(a.id, b.id))).map((row) => row.id);
}

describe("GET /api/contact: sorting and paging over ties", () => {
  let tenant: Tenant;
  let rows: ContactRow[];

  beforeAll(async () => {
    tenant = await createTenant();
    // 29 contacts, all created in the same millisecond, with many equal and missing values.
    const firstNames = [null, "Ann", "Bob", "ann", "Émile"];
    const lastNames = [null, "Smith", "Jones"];
    const emails = [null, "same@example.com", "other@example.com", "a@example.com"];
    rows = await insertContacts(
      tenant.organizationId,
      Array.from({ length: 29 }, (_, i) => ({
        firstName: firstNames[i % firstNames.length],
        lastName: lastNames[i % lastNames.length],
        primaryEmail: emails[i % emails.length],
      })),
    );
  });

  for (const sortBy of CONTACT_SORT_FIELDS) {
    for (const sortOrder of ["asc", "desc"] as const) {
      it(`pages by ${sortBy} ${sortOrder}, ties broken by id, without repeating or skipping`, async () => {
        const walked = await walk(tenant.key, { sortBy, sortOrder }, 4);
        const ids = walked.map((c) => c.id);
        expect(new Set(ids).size).toBe(rows.length);
        expect(ids).toEqual(expectedOrder(rows, sortBy, sortOrder));
      });
    }
  }

  for (const sortBy of CONTACT_SORT_FIELDS) {
    for (const sortOrder of ["asc", "desc"] as const) {
      it(`walks by cursor by ${sortBy} ${sortOrder}, across the NULLs, in the order of the numbered pages`, async () => {
        const walked = await walkByCursor(tenant.key, { sortBy, sortOrder }, 4);
        expect(walked.map((c) => c.id)).toEqual(expectedOrder(rows, sortBy, sortOrder));
      });
    }
  }

  it("puts contacts without the sort value first ascending and last descending", async () => {
    const asc = (await list(tenant.key, "?sortBy=lastName&sortOrder=asc&limit=100")).data;
    const desc = (await list(tenant.key, "?sortBy=lastName&sortOrder=desc&limit=100")).data;
    const nulls = rows.filter((r) => r.lastName === null).length;
    expect(asc.slice(0, nulls).every((c) => c.lastName === null)).toBe(true);
    expect(desc.slice(-nulls).every((c) => c.lastName === null)).toBe(true);
    expect(desc.slice(0, -nulls).some((c) => c.lastName === null)).toBe(false);
  });

  it("keeps a paged walk stable when the sort value is equal for everyone (createdAt)", async () => {
    expect(new Set(rows.map((r) => r.createdAt)).size).toBe(1);
    const pages = await Promise.all(
      [1, 2, 3, 4, 5, 6, 7, 8].map((page) => list(tenant.key, `?sortBy=createdAt&limit=4&page=${page}`)),
    );
    const ids = pages.flatMap((p) => p.data.map((c) => c.id));
    expect(ids).toEqual(expectedOrder(rows, "createdAt", "desc"));
  });
});

describe("GET /api/contact?search=", () => {
  let tenant: Tenant;
  const byColumn: Record<string, Contact> = {};
  let decoy: Contact;

  beforeAll(async () => {
    tenant = await createTenant();
    // Bland values everywhere, one distinctive value per searched column.
    const bland = { firstName: "Bob", lastName: "Lee", fullName: "Bob Lee", primaryEmail: "bob@lee.test" };
    byColumn.firstName = await createContact(tenant.key, { ...bland, firstName: "Zenobia" });
    byColumn.lastName = await createContact(tenant.key, { ...bland, lastName: "Quixote" });
    byColumn.fullName = await createContact(tenant.key, { ...bland, fullName: "Wolfgang Amadeus" });
    byColumn.primaryEmail = await createContact(tenant.key, { ...bland, primaryEmail: "Yvette@Kraken.test" });
    byColumn.primaryPhone = await createContact(tenant.key, { ...bland, primaryPhone: "+1 650-253-0000" });
    // The distinctive values again, in columns that are not searched.
    decoy = await createContact(tenant.key, {
      ...bland,
      city: "Zenobia",
      state: "Quixote",
      occupation: "Wolfgang",
      address: "Kraken 650253",
      customAttributes: { nick: "Zenobia" },
    });
  });

  const ids = (page: Page) => page.data.map((c) => c.id);

  it.each([
    // 3+ characters: the trigram index, whatever the case.
    ["firstName", ["ZENOB", "nobi", "zEnObIa"]],
    ["lastName", ["QUIX", "uixo", "xotE"]],
    ["fullName", ["GANG AMA", "wolfgang", "amadeus"]],
    ["primaryEmail", ["KRAKEN", "yvette@", "E@KRA"]],
    ["primaryPhone", ["650253", "+1650", "2530000"]],
    // 1–2 characters: the LIKE fallback, case-insensitive too.
    ["firstName", ["ZE", "zE"]],
    ["lastName", ["QU", "qU"]],
    ["fullName", ["WO", "wO"]],
    ["primaryEmail", ["YV", "vE"]],
    ["primaryPhone", ["65"]],
  ])("finds the %s match for %j and nothing else", async (column, terms) => {
    for (const term of terms) {
      const page = await list(tenant.key, `?search=${encodeURIComponent(term)}`);
      expect(ids(page), term).toEqual([byColumn[column]?.id]);
      expect(page.meta.total, term).toBe(1);
    }
  });

  it("folds the case of non-ASCII letters in 3+ character searches", async () => {
    const elodie = await createContact(tenant.key, { firstName: "Élodie" });
    expect(ids(await list(tenant.key, "?search=%C3%89LOD"))).toEqual([elodie.id]);
    expect(ids(await list(tenant.key, "?search=%C3%A9lod"))).toEqual([elodie.id]);
  });

  it("matches on every searched column of one contact at once, and on none of the others", async () => {
    const page = await list(tenant.key, "?search=bob");
    expect(page.meta.total).toBe(6);
    expect(ids(page)).toContain(decoy.id);
  });

  it("takes FTS syntax and LIKE wildcards in a search literally", async () => {
    const quoted = await createContact(tenant.key, { lastName: 'O"Hara*' });
    const percent = await createContact(tenant.key, { lastName: "100%_sure" });
    expect(ids(await list(tenant.key, `?search=${encodeURIComponent('O"Har')}`))).toEqual([quoted.id]);
    expect(ids(await list(tenant.key, `?search=${encodeURIComponent('"Hara*')}`))).toEqual([quoted.id]);
    expect(ids(await list(tenant.key, `?search=${encodeURIComponent("%_")}`))).toEqual([percent.id]);
    expect(ids(await list(tenant.key, `?search=${encodeURIComponent("%")}`))).toEqual([percent.id]);
    expect(ids(await list(tenant.key, `?search=${encodeURIComponent("_")}`))).toEqual([percent.id]);
    for (const term of ['"', '""', "a OR b", "NEAR(a b)", "*", "col:val", "^bob", "(", "a AND"]) {
      const res = await api(`/api/contact?search=${encodeURIComponent(term)}`, { key: tenant.key });
      expect(res.status, term).toBe(200);
    }
  });

  it("pages search results and counts only the matches", async () => {
    const page = await list(tenant.key, "?search=lee&limit=2&page=2&sortBy=firstName&sortOrder=asc");
    expect(page.meta).toMatchObject({ total: 6, totalPages: 3, hasNextPage: true, hasPreviousPage: true });
    expect(page.data).toHaveLength(2);
  });

  it("follows updates of a contact's searched fields", async () => {
    const contact = await createContact(tenant.key, { firstName: "Persephone" });
    expect(ids(await list(tenant.key, "?search=persephone"))).toEqual([contact.id]);
    const res = await api(`/api/contact/${contact.id}`, {
      method: "PATCH",
      key: tenant.key,
      json: { firstName: "Ariadne" },
    });
    expect(res.status).toBe(200);
    expect(ids(await list(tenant.key, "?search=persephone"))).toEqual([]);
    expect(ids(await list(tenant.key, "?search=ariadne"))).toEqual([contact.id]);
  });

  it("never lists or counts a deleted contact", async () => {
    const doomed = await createContact(tenant.key, { firstName: "Ephemera" });
    const before = await list(tenant.key, "?limit=100");
    expect((await api(`/api/contact/${doomed.id}`, { method: "DELETE", key: tenant.key })).status).toBe(200);
    const after = await list(tenant.key, "?limit=100");
    expect(after.meta.total).toBe(before.meta.total - 1);
    expect(ids(after)).not.toContain(doomed.id);
    for (const term of ["Ephemera", "eph", "Ep"]) {
      expect((await list(tenant.key, `?search=${term}`)).meta.total, term).toBe(0);
    }
  });
});

describe("GET /api/contact?cursor=", () => {
  let tenant: Tenant;

  beforeAll(async () => {
    tenant = await createTenant();
    for (let i = 0; i < 5; i++) await createContact(tenant.key, { firstName: `Cursor${i}` });
  });

  const firstCursor = async (key: string, query: string) => {
    const { meta } = (await list(key, query)) as unknown as CursorPage;
    expect(meta.nextCursor).toEqual(expect.any(String));
    return meta.nextCursor as string;
  };

  it("gives nextCursor on a numbered page with more after it, null on the last one", async () => {
    expect((await list(tenant.key, "?limit=2")).meta).toMatchObject({ page: 1, nextCursor: expect.any(String) });
    expect((await list(tenant.key, "?limit=2&page=3")).meta).toMatchObject({ page: 3, nextCursor: null });
    expect((await list(tenant.key, "?limit=5")).meta).toMatchObject({ nextCursor: null });
    const cursor = await firstCursor(tenant.key, "?limit=4");
    const last = (await list(tenant.key, `?limit=4&cursor=${cursor}`)) as unknown as CursorPage;
    expect(last.data).toHaveLength(1);
    expect(last.meta).toEqual({ limit: 4, hasNextPage: false, nextCursor: null });
  });

  it("refuses cursor with page", async () => {
    const cursor = await firstCursor(tenant.key, "?limit=2");
    const res = await api(`/api/contact?limit=2&page=2&cursor=${cursor}`, { key: tenant.key });
    expect(await errorOf(res)).toEqual({ status: 400, code: "VALIDATION_FAILED", fields: ["cursor"] });
  });

  it("refuses a cursor of another organization, of another query, or not ours at all", async () => {
    const cursor = await firstCursor(tenant.key, "?limit=2&sortBy=firstName");
    const other = await createTenant();
    await createContact(other.key);
    const refused = [
      [other.key, `?sortBy=firstName&cursor=${cursor}`],
      [tenant.key, `?sortBy=lastName&cursor=${cursor}`],
      [tenant.key, `?sortBy=firstName&sortOrder=asc&cursor=${cursor}`],
      [tenant.key, `?sortBy=firstName&search=cur&cursor=${cursor}`],
      [tenant.key, `?sortBy=firstName&updatedAfter=2020-01-01T00:00:00Z&cursor=${cursor}`],
      [tenant.key, "?cursor=bm90LWEtY3Vyc29y"],
      [tenant.key, "?cursor=not+base64"],
    ] as const;
    for (const [key, query] of refused) {
      const res = await api(`/api/contact${query}`, { key });
      expect(await errorOf(res), query).toEqual({ status: 400, code: "VALIDATION_FAILED", fields: ["cursor"] });
    }
    // limit is not part of the query a cursor is bound to.
    expect((await api(`/api/contact?sortBy=firstName&limit=3&cursor=${cursor}`, { key: tenant.key })).status).toBe(200);
  });

  it("reads a cursor page with one D1 statement, and counts nothing", async () => {
    const cursor = await firstCursor(tenant.key, "?limit=2");
    const sent: string[][] = [];
    const db = getDb(spyD1(env.DB, (sqls) => void sent.push(sqls)));
    const query = contactListQuerySchema.parse({ limit: "2", cursor });
    const { data } = await listContacts(db, tenant.organizationId, query);
    expect(data).toHaveLength(2);
    expect(sent).toEqual([[expect.not.stringContaining("count(")]]);
  });
});

describe("GET /api/contact?primaryPhone=&primaryEmail=", () => {
  it("finds a contact by its phone however it is written, with the organization's default country", async () => {
    const tenant = await createTenant({ defaultCountry: "MA" });
    const contact = await createContact(tenant.key, { primaryPhone: "+212612345678", primaryEmail: "Ada@Example.com" });
    await createContact(tenant.key, { primaryPhone: "+212612345679" });
    for (const phone of ["0612345678", "+212 6 12 34 56 78", "00212612345678"]) {
      const { data } = await list(tenant.key, `?${new URLSearchParams({ primaryPhone: phone })}`);
      expect(
        data.map((c) => c.id),
        phone,
      ).toEqual([contact.id]);
    }
    const other = await createTenant({ defaultCountry: "MA" });
    expect((await list(other.key, "?primaryPhone=0612345678")).data).toEqual([]);
  });

  it("refuses an invalid phone, or a national one without a default country", async () => {
    const withCountry = await createTenant({ defaultCountry: "MA" });
    const without = await createTenant();
    for (const [key, phone] of [
      [withCountry.key, "12"],
      [withCountry.key, "not a phone"],
      [without.key, "0612345678"],
    ] as const) {
      const res = await api(`/api/contact?${new URLSearchParams({ primaryPhone: phone })}`, { key });
      expect(await errorOf(res), phone).toEqual({ status: 400, code: "VALIDATION_FAILED", fields: ["primaryPhone"] });
    }
  });

  it("finds a contact by its e-mail in any case, exactly, and combines with other parameters", async () => {
    const tenant = await createTenant();
    const ada = await createContact(tenant.key, { primaryEmail: "ada@example.com", firstName: "Ada" });
    await createContact(tenant.key, { primaryEmail: "ada@example.com.evil", firstName: "Ada" });
    await createContact(tenant.key, { primaryEmail: "bob@example.com", firstName: "Ada" });
    const { data } = await list(tenant.key, "?primaryEmail=ADA@Example.COM&search=ada&sortBy=firstName");
    expect(data.map((c) => c.id)).toEqual([ada.id]);
    expect((await list(tenant.key, "?primaryEmail=ada@example.com&search=bob")).data).toEqual([]);
    expect(
      (await list(tenant.key, `?primaryEmail=ada@example.com&primaryPhone=${encodeURIComponent(ada.primaryPhone)}`))
        .data,
    ).toHaveLength(1);
    const res = await api("/api/contact?primaryEmail=not-an-email", { key: tenant.key });
    expect(await errorOf(res)).toEqual({ status: 400, code: "VALIDATION_FAILED", fields: ["primaryEmail"] });
  });

  it("does not find deleted contacts", async () => {
    const tenant = await createTenant();
    const gone = await createContact(tenant.key, { primaryEmail: "gone@example.com" });
    await api(`/api/contact/${gone.id}`, { method: "DELETE", key: tenant.key });
    expect((await list(tenant.key, "?primaryEmail=gone@example.com")).data).toEqual([]);
    expect((await list(tenant.key, `?primaryPhone=${encodeURIComponent(gone.primaryPhone)}`)).data).toEqual([]);
  });
});
