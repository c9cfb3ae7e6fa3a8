import { describe, expect, it } from "vitest";
import { api, createTenant, freshPhone } from "../helpers";

describe("D1 sessions and x-d1-bookmark", () => {
  it("answers reads and writes with a bookmark that advances after a write, and accepts it back", async () => {
    const t = await createTenant();
    const before = await api("/api/contact", { key: t.key });
    expect(before.status).toBe(200);
    const first = before.headers.get("x-d1-bookmark");
    expect(first).toMatch(/^[0-9a-f-]+$/);

    const created = await api("/api/contact", { method: "POST", key: t.key, json: { primaryPhone: freshPhone() } });
    expect(created.status).toBe(201);
    const afterWrite = created.headers.get("x-d1-bookmark") as string;
    expect(afterWrite > (first as string)).toBe(true);

    const { id } = (await created.json()) as { id: string };
    const read = await api(`/api/contact/${id}`, { key: t.key, headers: { "x-d1-bookmark": afterWrite } });
    expect(read.status).toBe(200);
    expect((read.headers.get("x-d1-bookmark") as string) >= afterWrite).toBe(true);
  });

  it("ignores a bookmark that is not one", async () => {
    const t = await createTenant();
    const res = await api("/api/contact", { key: t.key, headers: { "x-d1-bookmark": "'; DROP TABLE contacts; --" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-d1-bookmark")).toMatch(/^[0-9a-f-]+$/);
  });
});
