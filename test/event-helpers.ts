import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { vi } from "vitest";
import { getDb } from "../src/db/client";
import { events } from "../src/db/schema";
import worker from "../src/index";
import type { QueueMessage } from "../src/services/events/delivery";
import { fetchWith } from "./faults";
import { api, jsonMessage, requestOf, type TestRequestInit } from "./helpers";

/** The body of an outbound event. */
export interface EventBody {
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

/**
 * A queue that records what is sent to it instead of delivering it; `fail` makes every send throw.
 * It refuses a message not sent as `json`, as every message of the app is (src/lib/queue-message.ts).
 */
export function recordingQueue(options: { fail?: boolean } = {}) {
  const sent: QueueMessage[] = [];
  const queue = {
    async send(body: QueueMessage, sendOptions?: QueueSendOptions) {
      if (options.fail) throw new Error("Queue send failed");
      sent.push(jsonMessage(body, sendOptions?.contentType));
    },
    async sendBatch(messages: Iterable<MessageSendRequest<QueueMessage>>) {
      if (options.fail) throw new Error("Queue send failed");
      for (const m of messages) sent.push(jsonMessage(m.body, m.contentType));
    },
  } as unknown as Queue;
  return { queue, sent };
}

/**
 * A queue whose every `sendBatch` records its bodies, then waits until the test releases it
 * (`release(failed?)`, oldest first): a send in flight, as the requests around it see it.
 */
export function gatedQueue<Body = QueueMessage>() {
  const batches: Body[][] = [];
  const gates: ((failed: boolean) => void)[] = [];
  const queue = {
    async sendBatch(messages: Iterable<MessageSendRequest<Body>>) {
      batches.push([...messages].map((m) => jsonMessage(m.body, m.contentType)));
      if (await new Promise<boolean>((resolve) => gates.push(resolve))) throw new Error("Queue send failed");
    },
  } as unknown as Queue<Body>;
  /** Lets the oldest waiting `sendBatch` return (or throw), and what it was awaited by run on. */
  const release = async (failed = false) => {
    const gate = gates.shift();
    if (!gate) throw new Error("no sendBatch is waiting");
    gate(failed);
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { queue, batches, release };
}

/**
 * A request to the worker with a recording events queue instead of the real one, so a test sees
 * exactly what the producer sent and no consumer acts on it behind the test's back.
 */
export async function apiRecorded(path: string, init: TestRequestInit, queue: Queue): Promise<Response> {
  return fetchWith({ EVENTS: queue }, requestOf(path, init));
}

export interface CreatedEndpoint {
  id: string;
  secret: string;
  url: string;
  events: string[];
}

/** Subscribes an endpoint through the API, as an admin would. */
export async function subscribe(key: string, body: Record<string, unknown>): Promise<CreatedEndpoint> {
  const res = await api("/api/webhook-endpoints", { method: "POST", key, json: body });
  if (res.status !== 201) throw new Error(`endpoint creation failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as CreatedEndpoint;
}

/** The outbox rows of an organization, oldest first, with their bodies parsed. */
export async function outboxOf(organizationId: string) {
  const rows = await getDb(env.DB)
    .select()
    .from(events)
    .where(eq(events.organizationId, organizationId))
    .orderBy(events.createdAt, events.id);
  return rows.map((row) => ({
    ...row,
    body: JSON.parse(row.payload) as EventBody,
  }));
}

export interface Received {
  url: string;
  headers: Record<string, string>;
  body: string;
}

let messageCounter = 0;

/**
 * Runs the worker's `queue()` handler on these messages, as the Queues runtime would, with `fetch`
 * answered by `answer` (a receiver) and the queue the consumer sends to replaced by a recording one.
 * @returns the ack/retry state, what the receivers got, and what the consumer sent to the queue.
 */
export async function consume(
  bodies: { body: QueueMessage; attempts?: number }[],
  answer: (request: Received) => Response | Promise<Response> = () => new Response(null, { status: 200 }),
  overrides: Partial<Env> = {},
) {
  const received: Received[] = [];
  const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    const got = { url: request.url, headers: Object.fromEntries(request.headers), body: await request.text() };
    received.push(got);
    return answer(got);
  });
  const { queue, sent } = recordingQueue();
  try {
    const batch = createMessageBatch<QueueMessage>(
      "contacts-edge-events",
      bodies.map(({ body, attempts = 1 }) => ({
        id: `msg-${++messageCounter}`,
        timestamp: new Date(),
        attempts,
        body,
      })),
    );
    const ctx = createExecutionContext();
    await worker.queue(batch, { ...env, EVENTS: queue, ...overrides });
    const result = await getQueueResult(batch, ctx);
    return { result, received, sent };
  } finally {
    spy.mockRestore();
  }
}

/** Verifies a delivery with the Standard Webhooks reference package (throws if it does not verify). */
export function verified(secret: string, got: Received): EventBody {
  return new Webhook(secret).verify(got.body, got.headers) as EventBody;
}
