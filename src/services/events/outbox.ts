import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../../db/client";
import { outboxStatement, outboxStatementByPhone, type WrittenAt } from "../../db/events";
import { hasEnabledEndpoint } from "../../db/webhook-endpoints";
import { uuidv7 } from "../../lib/ids";
import { log } from "../../lib/log";
import { sendAll, sendGathered } from "../../lib/queue-message";
import { ttlCache } from "../../lib/ttl-cache";
import type { EventType } from "../../schemas/webhook-endpoint";

/**
 * What a write service appends to its batch, after the write, so that the change and its events
 * commit together (the outbox): the statements for `type` about these contacts. `at`, when given,
 * is the `updatedAt` (or `deletedAt`) the write sets, or `{ since }` when SQLite sets it at or after
 * `since`: a write that did not take effect emits nothing.
 */
export interface Emit {
  (type: EventType, contactIds: string[], at?: WrittenAt): BatchItem<"sqlite">[];
  /** `contact.created` or `contact.updated` (SQL tells which) for the live contact holding `phone`, written since `since`. */
  byLivePhone(phone: string, since: string): BatchItem<"sqlite">[];
}

/** The {@link Emit} of a write that tells no one (scripts, tests). */
export const noEvents: Emit = Object.assign(() => [], { byLivePhone: () => [] });

/** The queue message of an event: the consumer fans it out to the organization's endpoints. */
export interface EventMessage {
  eventId: string;
}

/**
 * The outbox statement of `type` for `contactIds`, and the ids of the events it may write (one per
 * contact, written only when the organization has an enabled endpoint subscribed to `type`). For
 * every path that changes contacts: the file import and the erasure call this too. Events whose send
 * to the queue never happens are delivered by the scheduled sweep ({@link sweepOutbox}).
 *
 * @example const { statements } = eventStatements(db, orgId, "contact.erased", [id], erasedAt);
 * await db.batch([...statements, deleteRow]);
 */
export function eventStatements(
  db: Db,
  organizationId: string,
  type: EventType,
  contactIds: string[],
  at?: WrittenAt,
): { statements: BatchItem<"sqlite">[]; eventIds: string[] } {
  if (contactIds.length === 0) return { statements: [], eventIds: [] };
  const entries = contactIds.map((contactId) => ({ eventId: uuidv7(), contactId }));
  return {
    statements: [outboxStatement(db, organizationId, type, entries, at)],
    eventIds: entries.map((e) => e.eventId),
  };
}

/**
 * Whether an organization has an enabled endpoint, per isolate: it decides only whether a request
 * sends its event ids to the queue once its batch has committed, never whether events are written
 * (the outbox statement decides that inside the batch). A stale "no" delays events until the next
 * sweep; a stale "yes" sends ids of events that were not written, which the consumer drops.
 */
const endpointPresence = ttlCache<boolean>(60_000);

/** Unless this isolate knows the organization has no enabled endpoint (its events write no row, need no send). */
const mayHaveEndpoint = (organizationId: string): boolean => endpointPresence.peek(organizationId) !== false;

/** This isolate created or disabled an endpoint of the organization: its next write reads D1 again. */
export function endpointsChanged(organizationId: string, enabledNow?: boolean): void {
  if (enabledNow) endpointPresence.set(organizationId, true);
  else endpointPresence.delete(organizationId);
}

/** One request's outbox: the events its writes may have put in D1, by organization, to send once committed. */
export interface Outbox {
  emitter(organizationId: string): Emit;
  /**
   * Whether any write of the request emitted events that may need a send: not those of an
   * organization this isolate knows has no enabled endpoint (their statements wrote no row).
   */
  readonly mayNeedSend: boolean;
  /**
   * Sends the ids to the queue (after the batch committed), maybe in the `sendBatch` of another
   * request of the isolate ({@link sendGathered}); never throws: the sweep covers a failure.
   */
  dispatch(db: Db, queue: Queue<EventMessage>): Promise<void>;
}

const messagesOf = (eventIds: string[]): EventMessage[] => eventIds.map((eventId) => ({ eventId }));

/** Sends event ids to the queue, one message each. */
export const sendEventIds = (queue: Queue<EventMessage>, eventIds: string[]): Promise<void> =>
  sendAll(queue, messagesOf(eventIds));

/** A request's outbox, or the file import's. */
export function createOutbox(db: Db): Outbox {
  const byOrganization = new Map<string, string[]>();
  return {
    emitter: (organizationId) => {
      const record = (eventIds: string[]) =>
        byOrganization.set(organizationId, [...(byOrganization.get(organizationId) ?? []), ...eventIds]);
      const emit = (type: EventType, contactIds: string[], at?: WrittenAt) => {
        const { statements, eventIds } = eventStatements(db, organizationId, type, contactIds, at);
        record(eventIds);
        return statements;
      };
      return Object.assign(emit, {
        byLivePhone(phone: string, since: string) {
          const eventId = uuidv7();
          record([eventId]);
          return [outboxStatementByPhone(db, organizationId, eventId, phone, since)];
        },
      });
    },
    get mayNeedSend() {
      for (const [organizationId, ids] of byOrganization)
        if (ids.length > 0 && mayHaveEndpoint(organizationId)) return true;
      return false;
    },
    async dispatch(readDb, queue) {
      for (const [organizationId, eventIds] of byOrganization) {
        try {
          if (eventIds.length === 0) continue;
          const subscribed = await endpointPresence.get(organizationId, () =>
            hasEnabledEndpoint(readDb, organizationId),
          );
          // With the sends of the isolate's other requests: one sendBatch for many.
          if (subscribed) await sendGathered(queue, messagesOf(eventIds));
        } catch (err) {
          // The events are in the outbox: the sweep sends them.
          log("warn", { event: "event_send_failed", error: err instanceof Error ? err.name : typeof err });
        }
      }
    },
  };
}

/** Tests only. */
export function clearEndpointPresence(): void {
  endpointPresence.clear();
}
