import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { MAX_ATTEMPTS, RETRY_SCHEDULE_S, retryDelaySeconds } from "../../src/services/events/delivery";
import { apiRecorded, consume, outboxOf, recordingQueue, subscribe, verified } from "../event-helpers";
import { api, createTenant, freshPhone } from "../helpers";

const RECEIVER = "http://127.0.0.1:9/hooks";

/** A subscribed organization with one committed contact.created event, fanned out to its endpoint. */
async function oneEvent() {
  const tenant = await createTenant();
  const endpoint = await subscribe(tenant.key, { url: RECEIVER });
  const { queue } = recordingQueue();
  const res = await apiRecorded(
    "/api/contact",
    { method: "POST", key: tenant.key, json: { primaryPhone: freshPhone() } },
    queue,
  );
  const contact = (await res.json()) as Record<string, unknown>;
  const [event] = await outboxOf(tenant.organizationId);
  const delivery = { eventId: event?.id as string, endpointId: endpoint.id };
  return { tenant, endpoint, contact, delivery };
}

const attemptsOf = async (key: string, endpointId: string) =>
  (
    (await (await api(`/api/webhook-endpoints/${endpointId}/deliveries`, { key })).json()) as {
      data: {
        attempt: number;
        status: string;
        responseStatus: number | null;
        nextAttemptAt: string | null;
        createdAt: string;
      }[];
    }
  ).data;

describe("the consumer", () => {
  it("fans an event out to each enabled endpoint subscribed to its type, once", async () => {
    const tenant = await createTenant();
    const all = await subscribe(tenant.key, { url: RECEIVER });
    await subscribe(tenant.key, { url: RECEIVER, events: ["contact.deleted"] });
    const off = await subscribe(tenant.key, { url: RECEIVER });
    await api(`/api/webhook-endpoints/${off.id}`, { method: "DELETE", key: tenant.key });
    const { queue } = recordingQueue();
    await apiRecorded("/api/contact", { method: "POST", key: tenant.key, json: { primaryPhone: freshPhone() } }, queue);
    const [event] = await outboxOf(tenant.organizationId);
    const first = await consume([{ body: { eventId: event?.id as string } }]);
    expect(first.sent).toEqual([{ eventId: event?.id, endpointId: all.id }]);
    expect(first.result.explicitAcks).toHaveLength(1);
    const again = await consume([{ body: { eventId: event?.id as string } }]);
    expect(again.sent).toEqual([]);
  });

  it("POSTs the Standard Webhooks delivery the reference package verifies; 2xx is delivered and logged", async () => {
    const { tenant, endpoint, contact, delivery } = await oneEvent();
    const { result, received } = await consume([{ body: delivery }]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(received).toHaveLength(1);
    const got = received[0] as (typeof received)[0];
    expect(got.url).toBe(RECEIVER);
    expect(got.headers["webhook-id"]).toBe(delivery.eventId);
    expect(got.headers["content-type"]).toBe("application/json");
    expect(verified(endpoint.secret, got)).toEqual({
      type: "contact.created",
      timestamp: contact.updatedAt,
      data: contact,
    });
    expect(() =>
      verified(endpoint.secret, { ...got, body: got.body.replace("contact.created", "contact.updated") }),
    ).toThrow();
    const [attempt] = await attemptsOf(tenant.key, endpoint.id);
    expect(attempt).toMatchObject({ attempt: 1, status: "delivered", responseStatus: 200, nextAttemptAt: null });
  });

  it("500 twice then 200: retried with the backoff, delivered on the third attempt, every attempt logged", async () => {
    const { tenant, endpoint, delivery } = await oneEvent();
    const statuses = [500, 500, 200];
    for (const [i, status] of statuses.entries()) {
      const { result, received } = await consume(
        [{ body: delivery, attempts: i + 1 }],
        () => new Response("x", { status }),
      );
      verified(endpoint.secret, received[0] as never);
      if (status === 200) expect(result.explicitAcks).toHaveLength(1);
      else expect(result.retryMessages).toHaveLength(1);
    }
    const log = await attemptsOf(tenant.key, endpoint.id);
    expect(log.map((a) => [a.attempt, a.status, a.responseStatus])).toEqual([
      [3, "delivered", 200],
      [2, "pending", 500],
      [1, "pending", 500],
    ]);
    // The delay asked of the queue (the harness does not record it; the log does): the schedule, ±10%.
    for (const [i, entry] of log.slice(1).reverse().entries()) {
      const delay = (Date.parse(entry.nextAttemptAt as string) - Date.parse(entry.createdAt)) / 1000;
      const base = RETRY_SCHEDULE_S[i] as number;
      expect(delay).toBeGreaterThanOrEqual(Math.floor(base * 0.9));
      expect(delay).toBeLessThanOrEqual(Math.ceil(base * 1.1));
    }
  });

  it("an unreachable receiver is a failed attempt; the 8th failure is final: failed, acknowledged", async () => {
    const { tenant, endpoint, delivery } = await oneEvent();
    const down = () => Promise.reject(new TypeError("connection refused"));
    const first = await consume([{ body: delivery }], down);
    expect(first.result.retryMessages).toHaveLength(1);
    const last = await consume([{ body: delivery, attempts: MAX_ATTEMPTS }], down);
    expect(last.result.retryMessages).toEqual([]);
    expect(last.result.explicitAcks).toHaveLength(1);
    const log = await attemptsOf(tenant.key, endpoint.id);
    expect(log[0]).toMatchObject({
      attempt: MAX_ATTEMPTS,
      status: "failed",
      responseStatus: null,
      nextAttemptAt: null,
    });
  });

  it("a disabled endpoint receives nothing more, queued deliveries included", async () => {
    const { tenant, endpoint, delivery } = await oneEvent();
    await api(`/api/webhook-endpoints/${endpoint.id}`, { method: "DELETE", key: tenant.key });
    const { result, received } = await consume([{ body: delivery, attempts: 3 }]);
    expect(received).toEqual([]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(await attemptsOf(tenant.key, endpoint.id)).toEqual([]);
  });

  it("manual retry: 202, a new delivery numbered after the last attempt; 409 once disabled; 404 for an unknown event", async () => {
    const { tenant, endpoint, delivery } = await oneEvent();
    await consume([{ body: delivery }], () => new Response(null, { status: 503 }));
    const { queue, sent } = recordingQueue();
    const path = `/api/webhook-endpoints/${endpoint.id}/deliveries/${delivery.eventId}/retry`;
    const res = await apiRecorded(path, { method: "POST", key: tenant.key }, queue);
    expect(res.status).toBe(202);
    expect(sent).toEqual([{ ...delivery, firstAttempt: 2 }]);
    await consume([{ body: sent[0] as never }]);
    expect((await attemptsOf(tenant.key, endpoint.id))[0]).toMatchObject({ attempt: 2, status: "delivered" });
    const unknown = `/api/webhook-endpoints/${endpoint.id}/deliveries/${crypto.randomUUID()}/retry`;
    expect((await apiRecorded(unknown, { method: "POST", key: tenant.key }, queue)).status).toBe(404);
    await api(`/api/webhook-endpoints/${endpoint.id}`, { method: "DELETE", key: tenant.key });
    expect((await apiRecorded(path, { method: "POST", key: tenant.key }, queue)).status).toBe(409);
  });

  it("the dead-letter queue's consumer logs a delivery as failed", async () => {
    const { tenant, endpoint, delivery } = await oneEvent();
    const { createMessageBatch, createExecutionContext, getQueueResult } = await import("cloudflare:test");
    const worker = (await import("../../src/index")).default;
    const batch = createMessageBatch("contacts-edge-events-dlq", [
      { id: "dlq-1", timestamp: new Date(), attempts: 1, body: delivery },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch as never, env);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["dlq-1"]);
    expect((await attemptsOf(tenant.key, endpoint.id))[0]).toMatchObject({ status: "failed" });
  });
});

describe("the retry schedule", () => {
  it("spans at least 24 hours over at least 8 attempts, even with the most negative jitter", () => {
    expect(MAX_ATTEMPTS).toBeGreaterThanOrEqual(8);
    const total = Array.from({ length: MAX_ATTEMPTS - 1 }, (_, i) => retryDelaySeconds(i + 1, () => 0)).reduce(
      (a, b) => a + b,
    );
    expect(total).toBeGreaterThanOrEqual(24 * 3600);
    // Cloudflare Queues delays a message at most 12 hours.
    expect(retryDelaySeconds(MAX_ATTEMPTS - 1, () => 1)).toBeLessThanOrEqual(12 * 3600);
    expect(retryDelaySeconds(3, () => 0.5, 1)).toBe(1);
  });
});
