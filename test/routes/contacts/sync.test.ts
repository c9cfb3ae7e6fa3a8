import { env } from "cloudflare:workers";
import { and, eq, isNull } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "../../../src/db/client";
import { type Contact, toContact } from "../../../src/db/contacts";
import { contacts } from "../../../src/db/schema";
import { createContact, errorOf } from "../../contact-fixtures";
import { api, createTenant } from "../../helpers";

interface Page<T> {
  data: T[];
  meta: { nextCursor: string | null };
}

async function get<T>(key: string, path: string, params: Record<string, string>): Promise<Page<T>> {
  const res = await api(`${path}?${new URLSearchParams(params)}`, { key });
  expect(res.status, path).toBe(200);
  return res.json();
}

/** Every row of a feed: the first page, then each `nextCursor`, the other parameters unchanged. */
async function follow<T>(key: string, path: string, params: Record<string, string>): Promise<T[]> {
  let page = await get<T>(key, path, params);
  const all = [...page.data];
  while (page.meta.nextCursor) {
    page = await get<T>(key, path, { ...params, cursor: page.meta.nextCursor });
    all.push(...page.data);
  }
  return all;
}

const liveContactsOf = async (organizationId: string) =>
  (
    await getDb(env.DB)
      .select()
      .from(contacts)
      .where(and(eq(contacts.organizationId, organizationId), isNull(contacts.deletedAt)))
  ).map(toContact);

describe("GET /api/contact?updatedAfter=&sortBy=updatedAt", () => {
  it("lists only contacts updated strictly after the instant, oldest change first", async () => {
    const { key } = await createTenant();
    const a = await createContact(key);
    const b = await createContact(key);
    const patched = await api(`/api/contact/${a.id}`, { method: "PATCH", key, json: { city: "Rabat" } });
    const a2 = (await patched.json()) as Contact;
    const all = await follow<Contact>(key, "/api/contact", { sortBy: "updatedAt", sortOrder: "asc", limit: "1" });
    expect(all.map((c) => c.id)).toEqual([b.id, a.id]);
    const after = await follow<Contact>(key, "/api/contact", {
      sortBy: "updatedAt",
      sortOrder: "asc",
      updatedAfter: b.updatedAt,
    });
    expect(after.map((c) => c.updatedAt)).toEqual([a2.updatedAt]);
    // An offset is the same instant.
    const offset = new Date(Date.parse(b.updatedAt) + 2 * 3600_000).toISOString().replace("Z", "+02:00");
    const same = await get<Contact>(key, "/api/contact", { sortBy: "updatedAt", updatedAfter: offset });
    expect(same.data.map((c) => c.id)).toEqual([a.id]);
  });

  it("refuses what is not an ISO 8601 instant", async () => {
    const { key } = await createTenant();
    for (const updatedAfter of ["yesterday", "2026-13-01T00:00:00Z", "1700000000"]) {
      const res = await api(`/api/contact?${new URLSearchParams({ updatedAfter })}`, { key });
      expect(await errorOf(res), updatedAfter).toEqual({
        status: 400,
        code: "VALIDATION_FAILED",
        fields: ["updatedAfter"],
      });
    }
  });
});

describe("GET /api/contact/deleted", () => {
  it("lists the organization's deletions oldest first, strictly after deletedAfter, by cursor", async () => {
    const { key } = await createTenant();
    const other = await createTenant();
    const deleted: { id: string; deletedAt: string }[] = [];
    for (let i = 0; i < 5; i++) {
      const contact = await createContact(key);
      const res = await api(`/api/contact/${contact.id}`, { method: "DELETE", key });
      const { id, deletedAt } = (await res.json()) as { id: string; deletedAt: string };
      deleted.push({ id, deletedAt });
    }
    await createContact(key);
    const foreign = await createContact(other.key);
    await api(`/api/contact/${foreign.id}`, { method: "DELETE", key: other.key });

    expect(await follow(key, "/api/contact/deleted", { limit: "2" })).toEqual(deleted);
    const since = deleted[1]?.deletedAt as string;
    const after = await follow<{ id: string }>(key, "/api/contact/deleted", { limit: "2", deletedAfter: since });
    expect(after).toEqual(deleted.filter((d) => d.deletedAt > since));

    const { meta } = await get(key, "/api/contact/deleted", { limit: "1" });
    const mismatched = await api(`/api/contact/deleted?cursor=${meta.nextCursor}&deletedAfter=${since}`, { key });
    expect(await errorOf(mismatched)).toEqual({ status: 400, code: "VALIDATION_FAILED", fields: ["cursor"] });
    const foreignCursor = await api(`/api/contact/deleted?cursor=${meta.nextCursor}`, { key: other.key });
    expect(await errorOf(foreignCursor)).toEqual({ status: 400, code: "VALIDATION_FAILED", fields: ["cursor"] });
  });

  it("is a path of its own: other methods are 405, and /api/contact/:id still reads contacts", async () => {
    const { key } = await createTenant();
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
      const res = await api("/api/contact/deleted", { method, key, json: {} });
      expect(res.status, method).toBe(405);
      expect(res.headers.get("Allow")).toBe("GET");
    }
    const contact = await createContact(key);
    expect((await api(`/api/contact/${contact.id}`, { key })).status).toBe(200);
  });
});

describe("a sync client", () => {
  /**
   * docs/sync.md: changed contacts (`sortBy=updatedAt&sortOrder=asc&updatedAfter=`) following
   * `nextCursor`, then the deleted feed; each next sync starts `OVERLAP_MS` before the latest
   * instant seen, for writes that commit after a later one was read.
   */
  const OVERLAP_MS = 1_000;

  interface Copy {
    contacts: Map<string, Contact>;
    updatedAfter?: string;
    deletedAfter?: string;
  }

  const minus = (instant: string | undefined) => instant && new Date(Date.parse(instant) - OVERLAP_MS).toISOString();

  async function sync(key: string, copy: Copy): Promise<void> {
    const updatedAfter = minus(copy.updatedAfter);
    const changed = await follow<Contact>(key, "/api/contact", {
      sortBy: "updatedAt",
      sortOrder: "asc",
      limit: "7",
      ...(updatedAfter ? { updatedAfter } : {}),
    });
    for (const contact of changed) {
      const known = copy.contacts.get(contact.id);
      if (!known || known.updatedAt <= contact.updatedAt) copy.contacts.set(contact.id, contact);
      if (!copy.updatedAfter || contact.updatedAt > copy.updatedAfter) copy.updatedAfter = contact.updatedAt;
    }
    const deletedAfter = minus(copy.deletedAfter);
    const deleted = await follow<{ id: string; deletedAt: string }>(key, "/api/contact/deleted", {
      limit: "5",
      ...(deletedAfter ? { deletedAfter } : {}),
    });
    for (const { id, deletedAt } of deleted) {
      copy.contacts.delete(id);
      if (!copy.deletedAfter || deletedAt > copy.deletedAfter) copy.deletedAfter = deletedAt;
    }
  }

  it("ends with the database's contacts, syncing while contacts are created, updated and deleted", async () => {
    const tenant = await createTenant();
    const { key } = tenant;
    const live: string[] = [];
    for (let i = 0; i < 10; i++) live.push((await createContact(key)).id);
    let writing = true;
    let step = 0;
    const pick = () => live.splice((step * 7) % live.length, 1)[0] as string;

    async function writer() {
      for (; step < 120; step++) {
        const op = step % 4;
        if (op === 0 || live.length < 3) live.push((await createContact(key, { firstName: `New${step}` })).id);
        else if (op === 3) await api(`/api/contact/${pick()}`, { method: "DELETE", key });
        else {
          const id = live[(step * 5) % live.length] as string;
          // Concurrent updates of one contact, sometimes.
          await Promise.all(
            [0, 1].map((n) => api(`/api/contact/${id}`, { method: "PATCH", key, json: { city: `City${step}-${n}` } })),
          );
        }
      }
      writing = false;
    }

    const copy: Copy = { contacts: new Map() };
    async function syncer() {
      let syncs = 0;
      while (writing) {
        await sync(key, copy);
        syncs++;
      }
      return syncs;
    }

    const [, syncs] = await Promise.all([writer(), syncer()]);
    expect(syncs).toBeGreaterThan(1);
    await sync(key, copy);

    const database = await liveContactsOf(tenant.organizationId);
    const byId = (a: Contact, b: Contact) => (a.id < b.id ? -1 : 1);
    expect([...copy.contacts.values()].sort(byId)).toEqual(database.sort(byId));
  });
});
