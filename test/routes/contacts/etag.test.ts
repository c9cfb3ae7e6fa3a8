import { describe, expect, it } from "vitest";
import type { Contact } from "../../../src/db/contacts";
import { etagOf, parseIfMatch } from "../../../src/lib/etag";
import { createContact, errorOf, storedRow } from "../../contact-fixtures";
import { api, createTenant, freshPhone } from "../../helpers";

const STRONG = /^"[0-9a-z]+\.[0-9a-f]{12}"$/;

async function patch(key: string, id: string, json: unknown, ifMatch?: string) {
  return api(`/api/contact/${id}`, { method: "PATCH", key, json, headers: ifMatch ? { "If-Match": ifMatch } : {} });
}

describe("ETag", () => {
  it("is on create, read and update, strong, the same for the same state and new for every change", async () => {
    const { key } = await createTenant();
    const created = await api("/api/contact", { method: "POST", key, json: { primaryPhone: freshPhone() } });
    const contact = (await created.json()) as Contact;
    const etag = created.headers.get("ETag");
    expect(etag).toMatch(STRONG);
    expect(etag).toBe(etagOf(contact));
    expect((await api(`/api/contact/${contact.id}`, { key })).headers.get("ETag")).toBe(etag);

    const seen = new Set([etag]);
    for (const city of ["Rabat", "Rabat", "Fes"]) {
      const res = await patch(key, contact.id, { city });
      const next = res.headers.get("ETag");
      expect(next).toMatch(STRONG);
      expect(seen.has(next)).toBe(false);
      seen.add(next);
      expect((await api(`/api/contact/${contact.id}`, { key })).headers.get("ETag")).toBe(next);
    }
  });

  it("is replayed with an Idempotency-Key's stored answer", async () => {
    const { key } = await createTenant();
    const init = {
      method: "POST",
      key,
      json: { primaryPhone: freshPhone() },
      headers: { "Idempotency-Key": "etag-1" },
    };
    const first = await api("/api/contact", init);
    const replay = await api("/api/contact", init);
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
    expect(replay.headers.get("ETag")).toBe(first.headers.get("ETag"));
  });

  it("is not on an upsert's answer, which holds many contacts", async () => {
    const { key } = await createTenant();
    const res = await api("/api/contact/upsert", {
      method: "POST",
      key,
      json: { data: [{ primaryPhone: freshPhone() }] },
    });
    expect(res.status).toBe(200);
    expect(res.headers.has("ETag")).toBe(false);
  });
});

describe("If-Match", () => {
  it("lets an update through with the current ETag, alone, in a list, or as *", async () => {
    const { key } = await createTenant();
    const contact = await createContact(key);
    let etag = etagOf(contact);
    for (const header of [() => etag, () => `"nope", ${etag}`, () => "*"]) {
      const res = await patch(key, contact.id, { city: `City ${Math.random()}` }, header());
      expect(res.status).toBe(200);
      etag = res.headers.get("ETag") as string;
    }
  });

  it("answers 412 to a stale, weak, foreign or malformed ETag and changes nothing (PUT, PATCH, DELETE)", async () => {
    const { key } = await createTenant();
    const contact = await createContact(key, { city: "Casablanca" });
    const old = etagOf(contact);
    const current = (await patch(key, contact.id, { city: "Rabat" })).headers.get("ETag") as string;
    const other = etagOf(await createContact(key));
    const before = await storedRow(contact.id);
    for (const stale of [old, `W/${current}`, other, "garbage", current.slice(1, -1)]) {
      for (const method of ["PUT", "PATCH"]) {
        const res = await api(`/api/contact/${contact.id}`, {
          method,
          key,
          json: { city: "Fes" },
          headers: { "If-Match": stale },
        });
        expect(await errorOf(res), `${method} ${stale}`).toEqual({
          status: 412,
          code: "PRECONDITION_FAILED",
          fields: [],
        });
      }
      const res = await api(`/api/contact/${contact.id}`, { method: "DELETE", key, headers: { "If-Match": stale } });
      expect(res.status, stale).toBe(412);
    }
    expect(await storedRow(contact.id)).toEqual(before);
    const deleted = await api(`/api/contact/${contact.id}`, {
      method: "DELETE",
      key,
      headers: { "If-Match": current },
    });
    expect(deleted.status).toBe(200);
  });

  it("answers 404, not 412, when there is no such contact", async () => {
    const { key } = await createTenant();
    const contact = await createContact(key);
    await api(`/api/contact/${contact.id}`, { method: "DELETE", key });
    const res = await patch(key, contact.id, { city: "Rabat" }, etagOf(contact));
    expect(res.status).toBe(404);
  });

  it("lets exactly one of 20 concurrent updates with the same ETag through: the others are 412", async () => {
    const { key } = await createTenant();
    const contact = await createContact(key);
    const etag = etagOf(contact);
    const statuses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => patch(key, contact.id, { city: `City${i}` }, etag).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(19);
  });
});

describe("parseIfMatch", () => {
  it("reads *, lists, and drops weak and malformed tags", () => {
    expect(parseIfMatch(" * ")).toBe("*");
    expect(parseIfMatch('"a", W/"b",  "c" ,x')).toEqual(['"a"', '"c"']);
    expect(parseIfMatch("")).toEqual([]);
  });
});
