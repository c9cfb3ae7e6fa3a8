import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app";
import worker from "../../src/index";
import { countingD1 } from "../counting-d1";
import { apiRecorded, consume, gatedQueue, outboxOf, recordingQueue, subscribe, verified } from "../event-helpers";
import { buildRequest, faultyD1, fetchWith } from "../faults";
import { api, createTenant, freshPhone, REFERENCE_EXAMPLE, type Tenant } from "../helpers";
import { createSource, deliver } from "../webhook-helpers";

const RECEIVER = "http://127.0.0.1:9/hooks";

async function subscribed(options: { events?: string[] } = {}) {
  const tenant = await createTenant();
  const endpoint = await subscribe(tenant.key, { url: RECEIVER, ...options });
  return { tenant, endpoint };
}

const create = (tenant: Tenant, queue: Queue, json: unknown = { primaryPhone: freshPhone() }) =>
  apiRecorded("/api/contact", { method: "POST", key: tenant.key, json }, queue);

describe("the outbox: one event per change, written in the change's own batch", () => {
  it("an organization without an endpoint gets no outbox row and sends nothing", async () => {
    const tenant = await createTenant();
    const { queue, sent } = recordingQueue();
    expect((await create(tenant, queue)).status).toBe(201);
    expect(await outboxOf(tenant.organizationId)).toEqual([]);
    expect(sent).toEqual([]);
  });

  it("an organization this isolate knows has no endpoint: its creates schedule nothing after their answer", async () => {
    const tenant = await createTenant();
    const { queue, sent } = recordingQueue();
    const app = createApp();
    const createCounting = async () => {
      const ctx = createExecutionContext();
      const scheduled: Promise<unknown>[] = [];
      const counting = {
        ...ctx,
        waitUntil: (p: Promise<unknown>) => {
          scheduled.push(p);
          ctx.waitUntil(p);
        },
      };
      const request = buildRequest("/api/contact", { key: tenant.key, json: { primaryPhone: freshPhone() } });
      const res = await app.fetch(request, { ...env, EVENTS: queue }, counting as ExecutionContext);
      await waitOnExecutionContext(ctx);
      expect(res.status).toBe(201);
      return scheduled.length;
    };
    // The first asks D1 whether it has an endpoint (after its answer); the next ones know.
    await createCounting();
    expect(await createCounting()).toBe(0);
    expect(sent).toEqual([]);
  });

  it("create → contact.created whose data is the answer, member for member, in the same order; its id is sent", async () => {
    const { tenant } = await subscribed();
    const { queue, sent } = recordingQueue();
    const res = await create(tenant, queue, REFERENCE_EXAMPLE);
    expect(res.status).toBe(201);
    const answer = await res.text();
    const [event, ...more] = await outboxOf(tenant.organizationId);
    expect(more).toEqual([]);
    expect(event?.type).toBe("contact.created");
    expect(JSON.stringify(event?.body.data)).toBe(answer);
    expect(event?.body).toMatchObject({ type: "contact.created", timestamp: JSON.parse(answer).updatedAt });
    expect(sent).toEqual([{ eventId: event?.id }]);
  });

  it("upsert of 4 items: 2 new, 1 changed, 1 unchanged → 2 created, 1 updated; the unchanged one is not even written", async () => {
    const { tenant } = await subscribed();
    const { queue } = recordingQueue();
    const [same, changing] = [freshPhone(), freshPhone()];
    const before = (await (
      await apiRecorded(
        "/api/contact/upsert",
        {
          method: "POST",
          key: tenant.key,
          json: { data: [{ primaryPhone: same, city: "Rabat" }, { primaryPhone: changing }] },
        },
        queue,
      )
    ).json()) as { data: { id: string; updatedAt: string }[] };
    const res = await apiRecorded(
      "/api/contact/upsert",
      {
        method: "POST",
        key: tenant.key,
        json: {
          data: [
            { primaryPhone: freshPhone(), firstName: "A" },
            { primaryPhone: same, city: "Rabat" },
            { primaryPhone: changing, city: "Fès" },
            { primaryPhone: freshPhone(), firstName: "B" },
          ],
        },
      },
      queue,
    );
    expect(res.status).toBe(200);
    const { data, meta } = (await res.json()) as { data: { id: string; updatedAt: string }[]; meta: unknown };
    expect(meta).toEqual({ created: 2, updated: 2, total: 4 });
    expect(data[1]?.updatedAt).toBe(before.data[0]?.updatedAt);
    const later = (await outboxOf(tenant.organizationId)).slice(2);
    expect(later.map((e) => [e.type, e.contactId]).sort()).toEqual(
      [
        ["contact.created", data[0]?.id],
        ["contact.created", data[3]?.id],
        ["contact.updated", data[2]?.id],
      ].sort(),
    );
    expect(later.find((e) => e.type === "contact.updated")?.body.data).toEqual(data[2]);
  });

  it("PATCH → contact.updated with the stored contact; DELETE → contact.deleted with { id, deletedAt } only", async () => {
    const { tenant } = await subscribed();
    const { queue } = recordingQueue();
    const { id } = (await (await create(tenant, queue)).json()) as { id: string };
    const patched = await apiRecorded(
      `/api/contact/${id}`,
      { method: "PATCH", key: tenant.key, json: { city: "Oujda" } },
      queue,
    );
    expect(patched.status).toBe(200);
    const deleted = await apiRecorded(`/api/contact/${id}`, { method: "DELETE", key: tenant.key }, queue);
    const { deletedAt } = (await deleted.json()) as { deletedAt: string };
    const [, updated, removed] = await outboxOf(tenant.organizationId);
    expect(updated?.body).toEqual({
      type: "contact.updated",
      timestamp: expect.any(String),
      data: await patched.json(),
    });
    expect(removed?.body).toEqual({ type: "contact.deleted", timestamp: deletedAt, data: { id, deletedAt } });
  });

  it("a webhook intake emits like an upsert", async () => {
    const { tenant } = await subscribed();
    const source = await createSource(tenant.key, { name: "Site", provider: "json" });
    const res = await deliver(source.path, JSON.stringify({ phone: freshPhone(), first_name: "Marie" }));
    expect(res.status).toBe(200);
    const { contactId } = (await res.json()) as { contactId: string };
    const [event] = await outboxOf(tenant.organizationId);
    expect(event).toMatchObject({ type: "contact.created", contactId });
    expect(event?.body.data).toMatchObject({ id: contactId, firstName: "Marie" });
  });

  it("an endpoint gets only the events it subscribes to, and none once it is disabled", async () => {
    const { tenant, endpoint } = await subscribed({ events: ["contact.deleted"] });
    const { queue } = recordingQueue();
    const { id } = (await (await create(tenant, queue)).json()) as { id: string };
    expect(await outboxOf(tenant.organizationId)).toEqual([]);
    expect((await api(`/api/webhook-endpoints/${endpoint.id}`, { method: "DELETE", key: tenant.key })).status).toBe(
      200,
    );
    expect((await apiRecorded(`/api/contact/${id}`, { method: "DELETE", key: tenant.key }, queue)).status).toBe(200);
    expect(await outboxOf(tenant.organizationId)).toEqual([]);
  });

  it("a subscribed organization's create is still one D1 round trip", async () => {
    const { tenant } = await subscribed();
    const counter = countingD1(env.DB);
    const { queue, sent } = recordingQueue();
    const res = await createApp().request(
      "/api/contact",
      {
        method: "POST",
        headers: { "X-API-Key": tenant.key, "Content-Type": "application/json" },
        body: JSON.stringify({ primaryPhone: freshPhone(), firstName: "A" }),
      },
      { ...env, DB: counter.db, EVENTS: queue },
      createExecutionContext(),
    );
    expect(res.status).toBe(201);
    expect(counter.roundTrips()).toBe(1);
    expect(await outboxOf(tenant.organizationId)).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(sent).toHaveLength(1);
  });

  it("creates that end while another's send is in flight ride on its next sendBatch: every id sent once", async () => {
    const { tenant } = await subscribed();
    const { queue, batches, release } = gatedQueue();
    const first = create(tenant, queue);
    await vi.waitFor(() => expect(batches).toHaveLength(1));
    // Their sends join the one in flight: each answer, and its waitUntil, is done at once.
    for (const _ of [1, 2]) expect((await create(tenant, queue)).status).toBe(201);
    expect(batches).toHaveLength(1);
    await release();
    // Their turn comes 100 ms after the first send began.
    await vi.waitFor(() => expect(batches).toHaveLength(2));
    await release();
    expect((await first).status).toBe(201);
    // Each id once: the first create's alone, the two others' together (in either order).
    const [[alone], together] = batches as [[{ eventId: string }], { eventId: string }[]];
    const ids = (await outboxOf(tenant.organizationId)).map((event) => event.id);
    expect([alone?.eventId, ...together.map((m) => m.eventId)].sort()).toEqual([...ids].sort());
    expect(together).toHaveLength(2);
  });
});

describe("nothing lost, nothing invented", () => {
  it("the D1 batch fails → no contact, no event, nothing sent", async () => {
    const { tenant } = await subscribed();
    const { queue, sent } = recordingQueue();
    const res = await fetchWith(
      { DB: faultyD1({ failBatch: true }), EVENTS: queue },
      buildRequest("/api/contact", { key: tenant.key, json: { primaryPhone: freshPhone() } }),
    );
    expect(res.status).toBe(503);
    expect(await outboxOf(tenant.organizationId)).toEqual([]);
    expect(sent).toEqual([]);
  });

  it("the send to the queue fails after the batch committed → the sweep sends it, and it is delivered", async () => {
    const { tenant, endpoint } = await subscribed();
    const broken = recordingQueue({ fail: true });
    const res = await create(tenant, broken.queue);
    expect(res.status).toBe(201);
    const contact = (await res.json()) as Record<string, unknown>;
    const [event] = await outboxOf(tenant.organizationId);
    expect(event?.dispatchedAt).toBeNull();

    // The sweep leaves events younger than its grace period to the request's own send.
    const swept = recordingQueue();
    const sweep = (at: number) =>
      worker.scheduled(createScheduledController({ scheduledTime: at, cron: "* * * * *" }), {
        ...env,
        EVENTS: swept.queue,
      });
    const ours = { eventId: event?.id as string };
    await sweep(Date.now());
    expect(swept.sent).not.toContainEqual(ours);
    await sweep(Date.now() + 2 * 60_000);
    expect(swept.sent).toContainEqual(ours);

    const fanned = await consume([{ body: ours }]);
    expect(fanned.sent).toEqual([{ eventId: event?.id, endpointId: endpoint.id }]);
    const delivered = await consume(fanned.sent.map((body) => ({ body })));
    expect(delivered.result.explicitAcks).toHaveLength(1);
    expect(verified(endpoint.secret, delivered.received[0] as never)).toEqual({
      type: "contact.created",
      timestamp: contact.updatedAt,
      data: contact,
    });
    // Fanned out: the next sweep leaves it alone.
    swept.sent.length = 0;
    await sweep(Date.now() + 3 * 60_000);
    expect(swept.sent).not.toContainEqual(ours);
  });
});

describe("retention", () => {
  it("the hourly purge deletes events fanned out and attempts logged more than 30 days ago, nothing younger", async () => {
    const { getDb } = await import("../../src/db/client");
    const { eventAttempts, events } = await import("../../src/db/schema");
    const { eq } = await import("drizzle-orm");
    const { tenant, endpoint } = await subscribed();
    const db = getDb(env.DB);
    const day = 24 * 3600_000;
    const at = (daysAgo: number) => new Date(Date.now() - daysAgo * day).toISOString();
    const event = (id: string, daysAgo: number | null) => ({
      id,
      organizationId: tenant.organizationId,
      type: "contact.created" as const,
      contactId: crypto.randomUUID(),
      payload: "{}",
      createdAt: at(40),
      dispatchedAt: daysAgo === null ? null : at(daysAgo),
    });
    const ids = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    await db
      .insert(events)
      .values([event(ids[0] as string, 31), event(ids[1] as string, 29), event(ids[2] as string, null)]);
    for (const [i, daysAgo] of [31, 29].entries()) {
      await db.insert(eventAttempts).values({
        id: crypto.randomUUID(),
        organizationId: tenant.organizationId,
        endpointId: endpoint.id,
        eventId: ids[i] as string,
        type: "contact.created",
        attempt: 1,
        status: "delivered",
        responseStatus: 200,
        durationMs: 1,
        nextAttemptAt: null,
        createdAt: at(daysAgo),
      });
    }
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "17 * * * *" }), env);
    const left = await db
      .select({ id: events.id })
      .from(events)
      .where(eq(events.organizationId, tenant.organizationId));
    expect(left.map((r) => r.id).sort()).toEqual([ids[1], ids[2]].sort());
    const attempts = await db.select().from(eventAttempts).where(eq(eventAttempts.endpointId, endpoint.id));
    expect(attempts.map((a) => a.eventId)).toEqual([ids[1]]);
  });
});

describe("the outbox on main's one-statement writes", () => {
  it("PATCH refused by If-Match (412), or of a deleted contact (404), emits nothing; with the current ETag, one contact.updated", async () => {
    const { tenant } = await subscribed();
    const { queue } = recordingQueue();
    const created = await create(tenant, queue);
    const { id } = (await created.json()) as { id: string };
    const etag = created.headers.get("ETag") ?? "";
    const patch = (json: unknown, headers: Record<string, string> = {}) =>
      apiRecorded(`/api/contact/${id}`, { method: "PATCH", key: tenant.key, json, headers }, queue);
    expect((await patch({ city: "Fès" }, { "If-Match": '"stale"' })).status).toBe(412);
    expect((await outboxOf(tenant.organizationId)).map((e) => e.type)).toEqual(["contact.created"]);
    const current = await patch({ city: "Oujda" }, { "If-Match": etag });
    expect(current.status).toBe(200);
    const events = await outboxOf(tenant.organizationId);
    expect(events.map((e) => e.type)).toEqual(["contact.created", "contact.updated"]);
    expect(events[1]?.body.data).toEqual(await current.json());
    expect((await apiRecorded(`/api/contact/${id}`, { method: "DELETE", key: tenant.key }, queue)).status).toBe(200);
    expect((await patch({ city: "Rabat" })).status).toBe(404);
    expect((await outboxOf(tenant.organizationId)).map((e) => e.type)).toEqual([
      "contact.created",
      "contact.updated",
      "contact.deleted",
    ]);
  });

  it("a PATCH refused by If-Match tells nothing of another write that landed meanwhile", async () => {
    const { tenant } = await subscribed();
    const { queue } = recordingQueue();
    const created = await create(tenant, queue);
    const { id } = (await created.json()) as { id: string };
    // As if another request had just written the contact: its updatedAt is after this PATCH's start.
    await env.DB.prepare("UPDATE contacts SET updated_at = '2999-01-01T00:00:00.000Z' WHERE id = ?").bind(id).run();
    const refused = await apiRecorded(
      `/api/contact/${id}`,
      {
        method: "PATCH",
        key: tenant.key,
        json: { city: "Fès" },
        headers: { "If-Match": created.headers.get("ETag") ?? "" },
      },
      queue,
    );
    expect(refused.status).toBe(412);
    expect((await outboxOf(tenant.organizationId)).map((e) => e.type)).toEqual(["contact.created"]);
  });

  it("a webhook intake by live phone: contact.created, then contact.updated for the same phone", async () => {
    const { tenant } = await subscribed();
    const source = await createSource(tenant.key, { name: "Site", provider: "json" });
    const phone = freshPhone();
    const first = await deliver(source.path, JSON.stringify({ phone, first_name: "Marie" }));
    const second = await deliver(source.path, JSON.stringify({ phone, city: "Rabat" }));
    expect(((await first.json()) as { status: string }).status).toBe("created");
    const { contactId, status } = (await second.json()) as { contactId: string; status: string };
    expect(status).toBe("updated");
    const events = await outboxOf(tenant.organizationId);
    expect(events.map((e) => [e.type, e.contactId])).toEqual([
      ["contact.created", contactId],
      ["contact.updated", contactId],
    ]);
    expect(events[1]?.body.data).toMatchObject({ id: contactId, firstName: "Marie", city: "Rabat" });
  });

  it("erasure: the contact's events go, one contact.erased with { id, deletedAt } only takes their place; a 404 emits nothing", async () => {
    const { tenant } = await subscribed();
    const { queue } = recordingQueue();
    const { id } = (await (await create(tenant, queue)).json()) as { id: string };
    await apiRecorded(`/api/contact/${id}`, { method: "PATCH", key: tenant.key, json: { city: "Oujda" } }, queue);
    const erase = () => apiRecorded(`/api/contact/${id}?erase=true`, { method: "DELETE", key: tenant.key }, queue);
    expect((await erase()).status).toBe(200);
    const [erased, ...more] = await outboxOf(tenant.organizationId);
    expect(more).toEqual([]);
    expect(erased).toMatchObject({ type: "contact.erased", contactId: id });
    expect(erased?.body).toEqual({
      type: "contact.erased",
      timestamp: erased?.createdAt,
      data: { id, deletedAt: erased?.createdAt },
    });
    expect((await erase()).status).toBe(404);
    expect(await outboxOf(tenant.organizationId)).toHaveLength(1);
  });
});
