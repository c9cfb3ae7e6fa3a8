import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Contact } from "../../../src/db/contacts";
import { etagOf } from "../../../src/lib/etag";
import { createContact, errorOf, storedRow } from "../../contact-fixtures";
import { api, createTenant, freshPhone } from "../../helpers";
import { createSource, deliver } from "../../webhook-helpers";

/** Every place in the database that holds `needle`: each table's every column, blobs read as text and as hex. */
async function whereStored(needle: string): Promise<string[]> {
  const { results: tables } = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
  ).all<{ name: string }>();
  const hex = [...new TextEncoder().encode(needle)]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("")
    .toUpperCase();
  const found: string[] = [];
  for (const { name } of tables) {
    const { results: columns } = await env.DB.prepare(`SELECT name FROM pragma_table_info('${name}')`).all<{
      name: string;
    }>();
    for (const column of columns) {
      const { results } = await env.DB.prepare(
        `SELECT count(*) AS n FROM "${name}" WHERE instr(lower(CAST("${column.name}" AS TEXT)), lower(?)) > 0 OR instr(hex("${column.name}"), ?) > 0`,
      )
        .bind(needle, hex)
        .all<{ n: number }>();
      if ((results[0]?.n ?? 0) > 0) found.push(`${name}.${column.name}`);
    }
  }
  return found;
}

/** The search index's raw segments, as text: where FTS5 keeps the trigrams of indexed values. */
async function searchIndexBytes(): Promise<string> {
  const { results } = await env.DB.prepare("SELECT hex(block) AS h FROM contacts_search_data").all<{ h: string }>();
  return results.map((r) => r.h).join("");
}
const hexOf = (text: string) =>
  [...new TextEncoder().encode(text)]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("")
    .toUpperCase();

const erase = (key: string, id: string, headers: Record<string, string> = {}) =>
  api(`/api/contact/${id}?erase=true`, { method: "DELETE", key, headers });

describe("DELETE /api/contact/:id?erase=true", () => {
  it("leaves no copy of the contact's phone or e-mail anywhere in the database, search index included", async () => {
    const tenant = await createTenant();
    const { key } = tenant;
    // Distinctive letters, so that their trigrams are this contact's only.
    const email = "qzxjvk.wyq@erasure.test";
    const phone = "+212612349876";
    const created = await api("/api/contact", {
      method: "POST",
      key,
      json: { primaryPhone: phone, primaryEmail: email, firstName: "Zyxqvw" },
      headers: { "Idempotency-Key": "erase-create" },
    });
    const contact = (await created.json()) as Contact;
    const bystander = await createContact(key, { firstName: "Bystander" });
    await api("/api/contact/upsert", {
      method: "POST",
      key,
      json: { data: [{ primaryPhone: phone, city: "Rabat" }] },
      headers: { "Idempotency-Key": "erase-upsert" },
    });
    const source = await createSource(key, { name: "form", provider: "json" });
    for (const eventId of ["e-1", "e-1", "e-2"]) {
      const res = await deliver(source.path, JSON.stringify({ eventId, phone, email, first_name: "Zyxqvw" }));
      expect(res.status).toBe(200);
    }
    // An old e-mail, replaced: its trigrams were in the index too.
    const oldEmail = "vqzkxj.old@erasure.test";
    await api(`/api/contact/${contact.id}`, { method: "PATCH", key, json: { primaryEmail: oldEmail } });
    await api(`/api/contact/${contact.id}`, { method: "PATCH", key, json: { primaryEmail: email } });

    expect(await whereStored(phone)).not.toEqual([]);
    expect(await whereStored(email)).not.toEqual([]);
    const trigrams = ["qzx", "zxj", "xjv", "jvk", "vqz", "kxj"];
    const before = await searchIndexBytes();
    expect(trigrams.some((t) => before.includes(hexOf(t)))).toBe(true);

    const res = await erase(key, contact.id);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: contact.id, erased: true });

    for (const needle of [phone, phone.slice(4), email, oldEmail, contact.id, "Zyxqvw"]) {
      expect(await whereStored(needle), needle).toEqual([]);
    }
    const after = await searchIndexBytes();
    for (const t of trigrams) expect(after.includes(hexOf(t)), t).toBe(false);
    // The rest of the organization is untouched.
    expect((await api(`/api/contact/${bystander.id}`, { key })).status).toBe(200);
    expect((await api(`/api/contact?search=Bystander`, { key })).status).toBe(200);
    expect(await whereStored(bystander.primaryPhone)).toContain("contacts.primary_phone");
  });

  it("erases a soft-deleted contact, and answers 404 when there is nothing (more) to erase", async () => {
    const { key } = await createTenant();
    const contact = await createContact(key);
    await api(`/api/contact/${contact.id}`, { method: "DELETE", key });
    expect((await erase(key, contact.id)).status).toBe(200);
    expect(await storedRow(contact.id)).toBeUndefined();
    expect(await errorOf(await erase(key, contact.id))).toEqual({ status: 404, code: "NOT_FOUND", fields: [] });
  });

  it("is for admin keys only, and never reaches another organization's contact", async () => {
    const admin = await createTenant();
    const contact = await createContact(admin.key);
    for (const role of ["manager", "agent"] as const) {
      const other = await createTenant({ role });
      expect(await errorOf(await erase(other.key, contact.id))).toEqual({ status: 403, code: "FORBIDDEN", fields: [] });
    }
    const stranger = await createTenant();
    expect((await erase(stranger.key, contact.id)).status).toBe(404);
    expect(await storedRow(contact.id)).toBeDefined();
  });

  it("answers 412 to a stale If-Match and erases nothing; erases with the current one", async () => {
    const { key } = await createTenant();
    const phone = freshPhone();
    const created = await api("/api/contact", {
      method: "POST",
      key,
      json: { primaryPhone: phone },
      headers: { "Idempotency-Key": "erase-412" },
    });
    const contact = (await created.json()) as Contact;
    const updated = await api(`/api/contact/${contact.id}`, { method: "PATCH", key, json: { city: "Fes" } });
    const stale = await erase(key, contact.id, { "If-Match": etagOf(contact) });
    expect(await errorOf(stale)).toEqual({ status: 412, code: "PRECONDITION_FAILED", fields: [] });
    expect(await storedRow(contact.id)).toBeDefined();
    expect(await whereStored(contact.id)).toContain("idempotency_keys.body");
    const current = await erase(key, contact.id, { "If-Match": updated.headers.get("ETag") as string });
    expect(current.status).toBe(200);
  });

  it("keeps erase=false a soft delete, and refuses any other value", async () => {
    const { key } = await createTenant();
    const contact = await createContact(key);
    const bad = await api(`/api/contact/${contact.id}?erase=yes`, { method: "DELETE", key });
    expect(await errorOf(bad)).toEqual({ status: 400, code: "VALIDATION_FAILED", fields: ["erase"] });
    const soft = await api(`/api/contact/${contact.id}?erase=false`, { method: "DELETE", key });
    expect(await soft.json()).toMatchObject({ id: contact.id, deleted: true });
    expect((await storedRow(contact.id))?.deletedAt).not.toBeNull();
  });
});
