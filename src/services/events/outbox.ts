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
  /** The request is over: its writes are no longer in flight (whether it dispatched or not). */
  close(): void;
}

const messagesOf = (eventIds: string[]): EventMessage[] => eventIds.map((eventId) => ({ eventId }));

/** Sends event ids to the queue, one message each. */
export const sendEventIds = (queue: Queue<EventMessage>, eventIds: string[]): Promise<void> =>
  sendAll(queue, messagesOf(eventIds));

/**
 * The request outboxes of this isolate that have emitted events and not yet dispatched or closed,
 * with when each began: writes in flight, whose ids will be sent in a moment.
 */
const writing = new Map<object, number>();

/** How long a send waits, at most, for the writes in flight when it was ready ({@link writesInFlightEnded}). */
const GATHER_WAIT_MS = 100;
/** How often a waiting send looks whether those writes have ended: it cannot await their promises. */
const GATHER_POLL_MS = 5;
/**
 * A write in flight this long lost its request (a client gone mid-request cancels the request's
 * code, so neither its dispatch nor its close runs; a D1 call hangs): no send waits for it again.
 */
const WRITE_STALE_MS = 2_000;

/**
 * Resolves once the writes in flight now have dispatched (their ids joined the waiting send) or
 * closed, or after `waitMs`. With none in flight (an idle isolate), at once: no timer. Writes in
 * flight for `staleMs` are forgotten instead.
 */
async function writesInFlightEnded(waitMs: number, staleMs: number): Promise<void> {
  const now = Date.now();
  const awaited: object[] = [];
  for (const [write, since] of writing) {
    if (now - since >= staleMs) writing.delete(write);
    else awaited.push(write);
  }
  const until = now + waitMs;
  while (awaited.some((w) => writing.has(w)) && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, GATHER_POLL_MS));
  }
}

/**
 * @param options.gather a request's outbox: from its first event until it dispatches or closes, its
 *   write counts as in flight, and its send, when no other is in flight, first waits for the
 *   writes in flight then ({@link writesInFlightEnded}), so that one `sendBatch` carries theirs too.
 *   The file import's outbox does not: its chunks are long, and no request should wait for them.
 * @param options.waitMs {@link GATHER_WAIT_MS}, and `staleMs` {@link WRITE_STALE_MS}, unless a test needs less.
 */
export function createOutbox(
  db: Db,
  { gather = false, waitMs = GATHER_WAIT_MS, staleMs = WRITE_STALE_MS } = {},
): Outbox {
  const byOrganization = new Map<string, string[]>();
  const self = {};
  const close = () => {
    writing.delete(self);
  };
  return {
    emitter: (organizationId) => {
      const record = (eventIds: string[]) => {
        // Nothing to wait for from no events, or an organization known to have no endpoint: it sends nothing.
        if (gather && eventIds.length > 0 && !writing.has(self) && mayHaveEndpoint(organizationId))
          writing.set(self, Date.now());
        byOrganization.set(organizationId, [...(byOrganization.get(organizationId) ?? []), ...eventIds]);
      };
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
      try {
        for (const [organizationId, eventIds] of byOrganization) {
          try {
            if (eventIds.length === 0) continue;
            const subscribed = await endpointPresence.get(organizationId, () =>
              hasEnabledEndpoint(readDb, organizationId),
            );
            // Ended before the send: a send waiting for this write takes its ids now.
            close();
            // With the sends of the isolate's other requests: one sendBatch for many.
            if (subscribed)
              await sendGathered(queue, messagesOf(eventIds), {
                gatherFirst: gather ? () => writesInFlightEnded(waitMs, staleMs) : undefined,
              });
          } catch (err) {
            // The events are in the outbox: the sweep sends them.
            log("warn", { event: "event_send_failed", error: err instanceof Error ? err.name : typeof err });
          }
        }
      } finally {
        close();
      }
    },
    close,
  };
}

/** Tests only. */
export function clearEndpointPresence(): void {
  endpointPresence.clear();
}
