import { createMiddleware } from "hono/factory";
import { getDb } from "../db/client";
import type { AppEnv } from "../types";

export const BOOKMARK_HEADER = "x-d1-bookmark";
/** D1 bookmarks are dash-separated hex groups; anything else is ignored rather than passed to D1. */
const SANE_BOOKMARK = /^[0-9a-f-]{1,128}$/i;

/**
 * Every request talks to D1 through one session (D1's Sessions API). Reads may be served by a
 * nearby replica ("first-unconstrained"); writes start on the primary ("first-primary"). A client
 * that sends back the `x-d1-bookmark` of its last answer is served a database at least that
 * recent, so it always sees its own writes. Every answer carries the session's latest bookmark.
 */
export const d1Session = createMiddleware<AppEnv>(async (c, next) => {
  const incoming = c.req.header(BOOKMARK_HEADER);
  const reading = c.req.method === "GET" || c.req.method === "HEAD";
  const session = c.env.DB.withSession(
    incoming && SANE_BOOKMARK.test(incoming) ? incoming : reading ? "first-unconstrained" : "first-primary",
  );
  c.set("db", getDb(session));
  await next();
  const bookmark = session.getBookmark();
  if (bookmark) c.res.headers.set(BOOKMARK_HEADER, bookmark);
});
