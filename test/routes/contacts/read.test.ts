import { describe, expect, it } from "vitest";
import { createContact, errorOf } from "../../contact-fixtures";
import { api, createTenant, REFERENCE_EXAMPLE } from "../../helpers";

describe("GET /api/contact/:id", () => {
  it("answers the contact exactly as it was created", async () => {
    const { key } = await createTenant();
    const created = await createContact(key, REFERENCE_EXAMPLE);
    const res = await api(`/api/contact/${created.id}`, { key });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(created);
  });

  it("finds a contact by its id written in upper case", async () => {
    const { key } = await createTenant();
    const created = await createContact(key);
    const res = await api(`/api/contact/${created.id.toUpperCase()}`, { key });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { id: string }).id).toBe(created.id);
  });

  it.each(["not-a-uuid", "123", "0190f2a8-1234-7abc-8def-0123456789a", "0190f2a812347abc8def0123456789ab"])(
    "answers a non-UUID id (%s) with 400",
    async (id) => {
      const { key } = await createTenant();
      expect(await errorOf(await api(`/api/contact/${id}`, { key }))).toEqual({
        status: 400,
        code: "VALIDATION_FAILED",
        fields: ["id"],
      });
    },
  );

  it("answers an unknown id with 404", async () => {
    const { key } = await createTenant();
    const res = await api("/api/contact/0190f2a8-1234-7abc-8def-0123456789ab", { key });
    expect(await errorOf(res)).toEqual({ status: 404, code: "NOT_FOUND", fields: [] });
  });

  it("answers another organization's contact with 404, exactly as an unknown id", async () => {
    const a = await createTenant();
    const b = await createTenant();
    const contact = await createContact(a.key);
    const res = await api(`/api/contact/${contact.id}`, { key: b.key });
    const body = (await res.json()) as Record<string, unknown>;
    expect(res.status).toBe(404);
    expect(body).toMatchObject({ code: "NOT_FOUND", message: "Contact not found" });
    expect(JSON.stringify(body)).not.toContain(a.organizationId);
  });

  it("needs an API key", async () => {
    const { key } = await createTenant();
    const contact = await createContact(key);
    expect((await api(`/api/contact/${contact.id}`)).status).toBe(401);
  });
});
