import { and, count, desc, eq, isNull } from "drizzle-orm";
import type { EventType } from "../schemas/webhook-endpoint";
import type { Db } from "./client";
import { eventAttempts, events, webhookEndpoints } from "./schema";

export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect;
export type EventAttemptRow = typeof eventAttempts.$inferSelect;

/** An endpoint as the API shows it: never its secret (shown once, when it is created). */
export function toWebhookEndpoint(row: WebhookEndpointRow) {
  return {
    id: row.id,
    organizationId: row.organizationId,
    url: row.url,
    description: row.description,
    events: JSON.parse(row.events) as EventType[],
    disabled: row.disabledAt !== null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    disabledAt: row.disabledAt,
  };
}
export type WebhookEndpoint = ReturnType<typeof toWebhookEndpoint>;

/** One entry of an endpoint's deliveries log. */
export function toAttempt(row: EventAttemptRow) {
  return {
    eventId: row.eventId,
    type: row.type,
    attempt: row.attempt,
    status: row.status,
    responseStatus: row.responseStatus,
    durationMs: row.durationMs,
    nextAttemptAt: row.nextAttemptAt,
    createdAt: row.createdAt,
  };
}

export function insertWebhookEndpoint(db: Db, row: WebhookEndpointRow) {
  return db.insert(webhookEndpoints).values(row);
}

/** Every endpoint of the organization, disabled ones too (their logs stay readable), newest first. */
export function listWebhookEndpoints(db: Db, organizationId: string): Promise<WebhookEndpointRow[]> {
  return db
    .select()
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.organizationId, organizationId))
    .orderBy(desc(webhookEndpoints.createdAt), desc(webhookEndpoints.id));
}

export function findWebhookEndpoint(
  db: Db,
  organizationId: string,
  id: string,
): Promise<WebhookEndpointRow | undefined> {
  return db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.organizationId, organizationId), eq(webhookEndpoints.id, id)))
    .get();
}

/** Disables an enabled endpoint of the organization; undefined when there is none to disable. */
export async function disableWebhookEndpoint(
  db: Db,
  organizationId: string,
  id: string,
  at: string,
): Promise<WebhookEndpointRow | undefined> {
  const [row] = await db
    .update(webhookEndpoints)
    .set({ disabledAt: at, updatedAt: at })
    .where(
      and(
        eq(webhookEndpoints.organizationId, organizationId),
        eq(webhookEndpoints.id, id),
        isNull(webhookEndpoints.disabledAt),
      ),
    )
    .returning();
  return row;
}

/** Whether the organization has an enabled endpoint: whether its writes may have put events in the outbox. */
export async function hasEnabledEndpoint(db: Db, organizationId: string): Promise<boolean> {
  const row = await db
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.organizationId, organizationId), isNull(webhookEndpoints.disabledAt)))
    .get();
  return row !== undefined;
}

/** The enabled endpoints of the organization subscribed to `type`. */
export async function subscribedEndpointIds(db: Db, organizationId: string, type: EventType): Promise<string[]> {
  const rows = await db
    .select({ id: webhookEndpoints.id, events: webhookEndpoints.events })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.organizationId, organizationId), isNull(webhookEndpoints.disabledAt)));
  return rows.filter((r) => (JSON.parse(r.events) as string[]).includes(type)).map((r) => r.id);
}

/** What one delivery attempt needs, in one read: the event and the endpoint, of the same organization. */
export async function findDelivery(db: Db, eventId: string, endpointId: string) {
  return db
    .select({
      eventId: events.id,
      type: events.type,
      payload: events.payload,
      organizationId: events.organizationId,
      url: webhookEndpoints.url,
      secret: webhookEndpoints.secret,
      disabledAt: webhookEndpoints.disabledAt,
    })
    .from(events)
    .innerJoin(
      webhookEndpoints,
      and(eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.organizationId, events.organizationId)),
    )
    .where(eq(events.id, eventId))
    .get();
}

export async function insertAttempt(db: Db, row: EventAttemptRow): Promise<void> {
  await db.insert(eventAttempts).values(row);
}

/** The number of the last logged attempt of an event at an endpoint (0 when none). */
export async function lastAttempt(db: Db, endpointId: string, eventId: string): Promise<number> {
  const rows = await db
    .select({ attempt: eventAttempts.attempt })
    .from(eventAttempts)
    .where(and(eq(eventAttempts.endpointId, endpointId), eq(eventAttempts.eventId, eventId)))
    .orderBy(desc(eventAttempts.attempt))
    .limit(1);
  return rows[0]?.attempt ?? 0;
}

/** One page of an endpoint's attempts, newest first, and how many there are. */
export async function listAttempts(
  db: Db,
  organizationId: string,
  endpointId: string,
  page: number,
  limit: number,
): Promise<{ rows: EventAttemptRow[]; total: number }> {
  const where = and(eq(eventAttempts.organizationId, organizationId), eq(eventAttempts.endpointId, endpointId));
  const [rows, [totals]] = await db.batch([
    db
      .select()
      .from(eventAttempts)
      .where(where)
      .orderBy(desc(eventAttempts.createdAt), desc(eventAttempts.id))
      .limit(limit)
      .offset((page - 1) * limit),
    db.select({ total: count() }).from(eventAttempts).where(where),
  ]);
  return { rows, total: totals?.total ?? 0 };
}
