import { createMiddleware } from "hono/factory";
import { getDb } from "../db/client";
import { createOutbox, type EventMessage } from "../services/events/outbox";
import type { AppEnv } from "../types";

/**
 * Gives the request an outbox (`c.get("outbox")`): its write services append the outbox statements
 * to their batch through `outbox.emitter(organizationId)`. Once the answer is a success, the batch
 * has committed: the events' ids are sent to the queue after the answer (`waitUntil`), so the send
 * costs the client nothing, together with those of the isolate's other requests (`sendGathered`:
 * under load, about one `sendBatch` per 100 ms; an idle isolate sends at once). A lost send is
 * made good by the scheduled sweep.
 */
export const outbox = createMiddleware<AppEnv>(async (c, next) => {
  const box = createOutbox(c.get("db"));
  c.set("outbox", box);
  await next();
  // A request that sends nothing (an error, no events, none subscribed) schedules nothing after its answer.
  if (!c.res.ok || !box.mayNeedSend) return;
  const sent = box.dispatch(getDb(c.env.DB), c.env.EVENTS as Queue<EventMessage>);
  try {
    c.executionCtx.waitUntil(sent);
  } catch {
    // No execution context (`app.request` in tests): the send runs on its own.
  }
});
