import { describe, expect, it } from "vitest";
import { createContact, errorOf, storedRow } from "../../contact-fixtures";
import { api, createTenant, freshPhone } from "../../helpers";

const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe("DELETE /api/contact/:id", () => {
  it("soft-deletes: answers { id, deleted, deletedAt } and keeps the row with deleted_at", async () => {
    const { key } = await createTenant();
    const contact = await createContact(key);
    const res = await api(`/api/contact/${contact.id}`, { method: "DELETE", key });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { id: string; deleted: boolean; deletedAt: string };
    expect(body).toEqual({ id: contact.id, deleted: true, deletedAt: expect.stringMatching(ISO_MS) });
    expect(Object.keys(body)).toEqual(["id", "deleted", "deletedAt"]);
    const row = await storedRow(contact.id);
    expect(row?.deletedAt).toBe(body.deletedAt);
    expect(row?.primaryPhone).toBe(contact.primaryPhone);
  });

  it("makes the contact vanish from read, update, delete and list", async () => {
    const { key } = await createTenant();
    const contact = await createContact(key, { firstName: "Vanishing" });
    await api(`/api/contact/${contact.id}`, { method: "DELETE", key });
    const notFound = { status: 404, code: "NOT_FOUND", fields: [] };
    expect(await errorOf(await api(`/api/contact/${contact.id}`, { key }))).toEqual(notFound);
    for (const method of ["PUT", "PATCH"]) {
      const res = await api(`/api/contact/${contact.id}`, { method, key, json: { city: "Rabat" } });
      expect(await errorOf(res), method).toEqual(notFound);
    }
    expect(await errorOf(await api(`/api/contact/${contact.id}`, { method: "DELETE", key }))).toEqual(notFound);
    const listed = (await (await api("/api/contact?search=Vanishing", { key })).json()) as { data: unknown[] };
    expect(listed.data).toEqual([]);
    expect((await storedRow(contact.id))?.city).toBeNull();
  });

  it("frees the phone: a new contact may take it, and so may an update of another one", async () => {
    const { key } = await createTenant();
    const first = await createContact(key);
    await api(`/api/contact/${first.id}`, { method: "DELETE", key });
    const again = await createContact(key, { primaryPhone: first.primaryPhone });
    expect(again.id).not.toBe(first.id);

    const other = await createContact(key);
    await api(`/api/contact/${again.id}`, { method: "DELETE", key });
    const moved = await api(`/api/contact/${other.id}`, {
      method: "PATCH",
      key,
      json: { primaryPhone: first.primaryPhone },
    });
    expect(moved.status).toBe(200);
    expect(((await moved.json()) as { primaryPhone: string }).primaryPhone).toBe(first.primaryPhone);
  });

  it("leaves a deleted contact deleted when a new one takes its phone", async () => {
    const { key } = await createTenant();
    const phone = freshPhone();
    const first = await createContact(key, { primaryPhone: phone });
    await api(`/api/contact/${first.id}`, { method: "DELETE", key });
    await createContact(key, { primaryPhone: phone });
    expect((await storedRow(first.id))?.deletedAt).not.toBeNull();
    expect((await api(`/api/contact/${first.id}`, { key })).status).toBe(404);
  });

  it("answers a non-UUID id with 400 and an unknown one with 404", async () => {
    const { key } = await createTenant();
    expect(await errorOf(await api("/api/contact/42", { method: "DELETE", key }))).toEqual({
      status: 400,
      code: "VALIDATION_FAILED",
      fields: ["id"],
    });
    expect(
      await errorOf(await api("/api/contact/0190f2a8-1234-7abc-8def-0123456789ab", { method: "DELETE", key })),
    ).toEqual({ status: 404, code: "NOT_FOUND", fields: [] });
  });
});
