import type { Db } from "../../db/client";
import { findEvent, markDispatched, undispatchedEventIds } from "../../db/events";
import { findDelivery, insertAttempt, subscribedEndpointIds } from "../../db/webhook-endpoints";
import { uuidv7 } from "../../lib/ids";
import { log } from "../../lib/log";
import { sendAll } from "../../lib/queue-message";
import { standardWebhooksHeaders } from "../../lib/signatures";
import type { AttemptStatus } from "../../schemas/webhook-endpoint";
import { type EventMessage, sendEventIds } from "./outbox";

/** The queue message of one event for one endpoint; `firstAttempt` numbers the attempts of a manual retry. */
export interface DeliveryMessage {
  eventId: string;
  endpointId: string;
  firstAttempt?: number;
}
export type QueueMessage = EventMessage | DeliveryMessage;

const isDelivery = (body: QueueMessage): body is DeliveryMessage => "endpointId" in body;

/** Attempts of one event at one endpoint before it is marked `failed`. */
export const MAX_ATTEMPTS = 8;
/**
 * Seconds between attempt n and n + 1 (the Standard Webhooks schedule): 5 s, 5 min, 30 min, 2 h,
 * 5 h, 10 h, 10 h. With ±10% jitter the 8 attempts span at least 24.8 hours.
 */
export const RETRY_SCHEDULE_S = [5, 300, 1_800, 7_200, 18_000, 36_000, 36_000] as const;
/** A receiver has this long to answer; anything but a `2xx` within it is a failed attempt. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** An outbox row older than this and never fanned out lost its send: the sweep sends it again. */
export const SWEEP_GRACE_MS = 60_000;
const SWEEP_LIMIT = 1_000;

/**
 * The delay before the attempt after attempt `attempt` (1-based): the schedule with ±10% jitter, so
 * that the retries of many events failing together do not arrive together. `maxSeconds` (the
 * test-only `EVENT_RETRY_MAX_DELAY_SECONDS`) caps it.
 */
export function retryDelaySeconds(attempt: number, random = Math.random, maxSeconds?: number): number {
  const base = RETRY_SCHEDULE_S[Math.min(attempt, RETRY_SCHEDULE_S.length) - 1] as number;
  const jittered = Math.round(base * (0.9 + 0.2 * random()));
  return maxSeconds === undefined ? jittered : Math.min(jittered, maxSeconds);
}

export interface DeliveryConfig {
  db: Db;
  queue: Queue<QueueMessage>;
  /** How receivers are reached (tests pass their own). */
  fetcher?: typeof fetch;
  maxDelaySeconds?: number;
}

/**
 * The first stage: an event's id → one message per enabled endpoint subscribed to its type. An
 * event already fanned out (a duplicate send, or the sweep racing the producer) or gone is dropped.
 */
async function fanOut(message: Message<EventMessage>, { db, queue }: DeliveryConfig): Promise<void> {
  const event = await findEvent(db, message.body.eventId);
  if (!event || event.dispatchedAt) return message.ack();
  const endpointIds = await subscribedEndpointIds(db, event.organizationId, event.type);
  await sendAll(
    queue,
    endpointIds.map((endpointId) => ({ eventId: event.id, endpointId })),
  );
  await markDispatched(db, event.id, new Date().toISOString());
  message.ack();
}

/** One signed POST; the receiver's status, or null when it could not be reached or did not answer in time. */
async function post(fetcher: typeof fetch, url: string, headers: Record<string, string>, body: string) {
  try {
    const response = await fetcher(url, {
      method: "POST",
      headers: { ...headers, "Content-Type": "application/json", "User-Agent": "contacts-edge-webhooks/1" },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    await response.body?.cancel();
    return response.status;
  } catch {
    return null;
  }
}

/**
 * The second stage: one attempt of one event at one endpoint, logged. `2xx` acknowledges; anything
 * else is retried after {@link retryDelaySeconds}, until the {@link MAX_ATTEMPTS}th attempt, which
 * is logged `failed`. A disabled endpoint gets nothing more, queued messages included.
 */
async function deliver(message: Message<DeliveryMessage>, config: DeliveryConfig): Promise<void> {
  const { db } = config;
  const { eventId, endpointId, firstAttempt = 1 } = message.body;
  const target = await findDelivery(db, eventId, endpointId);
  if (!target || target.disabledAt !== null) return message.ack();
  const started = Date.now();
  const headers = await standardWebhooksHeaders(
    target.secret,
    target.eventId,
    Math.floor(started / 1000),
    target.payload,
  );
  const responseStatus = await post(config.fetcher ?? fetch, target.url, headers, target.payload);
  const finished = Date.now();
  const delivered = responseStatus !== null && responseStatus >= 200 && responseStatus < 300;
  const last = message.attempts >= MAX_ATTEMPTS;
  const delay =
    delivered || last ? undefined : retryDelaySeconds(message.attempts, Math.random, config.maxDelaySeconds);
  const status: AttemptStatus = delivered ? "delivered" : last ? "failed" : "pending";
  await insertAttempt(db, {
    id: uuidv7(finished),
    organizationId: target.organizationId,
    endpointId,
    eventId,
    type: target.type,
    attempt: firstAttempt + message.attempts - 1,
    status,
    responseStatus,
    durationMs: finished - started,
    nextAttemptAt: delay === undefined ? null : new Date(finished + delay * 1000).toISOString(),
    createdAt: new Date(finished).toISOString(),
  });
  if (delay === undefined) message.ack();
  else message.retry({ delaySeconds: delay });
}

/**
 * The consumer of the events queue (`queue` in src/index.ts). Each message is handled on its own:
 * an unexpected failure (D1 unavailable) retries that message alone, with the same backoff.
 */
export async function handleEventBatch(batch: MessageBatch<QueueMessage>, config: DeliveryConfig): Promise<void> {
  await Promise.all(
    batch.messages.map(async (message) => {
      try {
        if (isDelivery(message.body)) await deliver(message as Message<DeliveryMessage>, config);
        else await fanOut(message as Message<EventMessage>, config);
      } catch (err) {
        log("warn", { event: "event_message_failed", error: err instanceof Error ? err.name : typeof err });
        message.retry({ delaySeconds: retryDelaySeconds(message.attempts, Math.random, config.maxDelaySeconds) });
      }
    }),
  );
}

/**
 * The consumer of the dead-letter queue: messages whose handling kept crashing. A delivery is logged
 * `failed` so the deliveries route tells it; an event that could not be fanned out is left to the sweep.
 */
export async function handleDeadLetters(batch: MessageBatch<QueueMessage>, db: Db): Promise<void> {
  for (const message of batch.messages) {
    const body = message.body;
    if (isDelivery(body)) {
      const target = await findDelivery(db, body.eventId, body.endpointId);
      if (target) {
        const at = new Date().toISOString();
        await insertAttempt(db, {
          id: uuidv7(),
          organizationId: target.organizationId,
          endpointId: body.endpointId,
          eventId: body.eventId,
          type: target.type,
          attempt: (body.firstAttempt ?? 1) + MAX_ATTEMPTS - 1,
          status: "failed",
          responseStatus: null,
          durationMs: 0,
          nextAttemptAt: null,
          createdAt: at,
        });
      }
    }
    message.ack();
  }
}

/**
 * The scheduled sweep: events committed more than {@link SWEEP_GRACE_MS} ago and never fanned out
 * (the request's send after its batch failed, or never ran) are sent to the queue again.
 * @returns how many were sent.
 */
export async function sweepOutbox(db: Db, queue: Queue<QueueMessage>, now = Date.now()): Promise<number> {
  const ids = await undispatchedEventIds(db, new Date(now - SWEEP_GRACE_MS).toISOString(), SWEEP_LIMIT);
  await sendEventIds(queue as Queue<EventMessage>, ids);
  return ids.length;
}
