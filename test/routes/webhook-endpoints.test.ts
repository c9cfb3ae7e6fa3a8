import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { fetchWith } from "../faults";
import { api, createTenant, freshPhone, requestOf } from "../helpers";
import { createSource, deliver } from "../webhook-helpers";

const create = (key: string, json: unknown) => api("/api/webhook-endpoints", { method: "POST", key, json });

async function detailsOf(res: Response) {
  expect(res.status).toBe(400);
  return ((await res.json()) as { fieldDetails: Record<string, { code: string }[]> }).fieldDetails;
}

describe("/api/webhook-endpoints", () => {
  it("create (admin): 201, Location, every event by default, the whsec_ secret shown only here", async () => {
    const t = await createTenant();
    const res = await create(t.key, { url: "https://crm.example.com/in", description: "CRM" });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string; secret: string; events: string[]; disabled: boolean };
    expect(res.headers.get("Location")).toBe(`/api/webhook-endpoints/${created.id}`);
    expect(created.secret).toMatch(/^whsec_/);
    expect(created.events).toEqual(["contact.created", "contact.updated", "contact.deleted", "contact.erased"]);
    const list = await (await api("/api/webhook-endpoints", { key: t.key })).text();
    const read = await (await api(`/api/webhook-endpoints/${created.id}`, { key: t.key })).text();
    for (const text of [list, read]) {
      expect(text).toContain(created.id);
      expect(text).not.toContain(created.secret);
      expect(text).not.toContain("secret");
    }
  });

  it("refuses non-admin keys, unknown events, and http:// unless the worker allows it for local hosts", async () => {
    const agent = await createTenant({ role: "agent" });
    expect((await create(agent.key, { url: "https://x.example" })).status).toBe(403);
    const t = await createTenant();
    expect(
      await detailsOf(await create(t.key, { url: "https://x.example", events: ["contact.merged"] })),
    ).toHaveProperty("events.0");
    expect(await detailsOf(await create(t.key, { url: "http://crm.example.com/in" }))).toEqual({
      url: [{ code: "insecureUrl" }],
    });
    expect(await detailsOf(await create(t.key, { url: "ftp://crm.example.com/in" }))).toHaveProperty("url");
    // The test worker allows http for local hosts, as `npm start` does; the deployed worker does not.
    expect((await create(t.key, { url: "http://127.0.0.1:8788/hooks" })).status).toBe(201);
    const strict = await fetchWith(
      { ALLOW_HTTP_WEBHOOK_ENDPOINTS: undefined } as never,
      requestOf("/api/webhook-endpoints", { method: "POST", key: t.key, json: { url: "http://localhost:8788/x" } }),
    );
    expect(strict.status).toBe(400);
  });

  it("DELETE disables (and answers the same again); the endpoint stays readable; 404 for an unknown id", async () => {
    const t = await createTenant();
    const { id } = (await (await create(t.key, { url: "https://x.example" })).json()) as { id: string };
    for (let i = 0; i < 2; i++) {
      const res = await api(`/api/webhook-endpoints/${id}`, { method: "DELETE", key: t.key });
      expect(await res.json()).toEqual({ id, disabled: true });
    }
    expect(await (await api(`/api/webhook-endpoints/${id}`, { key: t.key })).json()).toMatchObject({ disabled: true });
    const unknown = await api(`/api/webhook-endpoints/${crypto.randomUUID()}`, { method: "DELETE", key: t.key });
    expect(unknown.status).toBe(404);
  });
});

describe("a json webhook source with a Standard Webhooks secret", () => {
  const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwmHBW7L2E9Ko=";
  const signed = (id: string, body: string, at = new Date()) => ({
    "Content-Type": "application/json",
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(id, at, body),
  });

  it("accepts what the reference package signs, dedupes by webhook-id, refuses forgeries and stale timestamps (401)", async () => {
    const t = await createTenant();
    const source = await createSource(t.key, { name: "Signed", provider: "json", secret });
    const body = JSON.stringify({ phone: freshPhone(), first_name: "Ada" });
    const first = await deliver(source.path, body, signed("msg_1", body));
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ status: "created" });
    const again = await deliver(source.path, body, signed("msg_1", body));
    expect(await again.json()).toMatchObject({ status: "duplicate" });
    const forged = {
      ...signed("msg_2", body),
      "webhook-signature": new Webhook(secret).sign("msg_2", new Date(), "{}"),
    };
    expect((await deliver(source.path, body, forged)).status).toBe(401);
    const stale = signed("msg_3", body, new Date(Date.now() - 6 * 60_000));
    expect((await deliver(source.path, body, stale)).status).toBe(401);
    expect((await deliver(source.path, body)).status).toBe(401);
  });
});
