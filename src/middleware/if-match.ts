import { createMiddleware } from "hono/factory";
import { parseIfMatch } from "../lib/etag";
import type { AppEnv } from "../types";
import { documented } from "./documented";

/**
 * `If-Match` on a write of one contact (docs/api.md#etag-and-if-match): parsed onto the context
 * (`ifMatch`) for the service, which makes it a condition of the write itself; the route then
 * answers `412` when no listed ETag is the contact's current one, and changes nothing.
 */
export function ifMatch() {
  const middleware = createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header("If-Match");
    c.set("ifMatch", header === undefined ? undefined : parseIfMatch(header));
    await next();
  });
  return documented(middleware, {
    errors: { 412: ["PRECONDITION_FAILED"] },
    parameters: [
      {
        name: "If-Match",
        in: "header",
        required: false,
        description:
          "`*` or one or more strong ETags (as `ETag` gave them, comma-separated): the write happens only if the " +
          "contact's current ETag is listed, else `412 PRECONDITION_FAILED` and nothing changes.",
        schema: { type: "string" },
      },
    ],
  });
}

/** The `ETag` header of an answer that returns one contact. */
export const ETAG_HEADER = {
  ETag: {
    description: "The contact's strong ETag: changes whenever the contact changes. Send it back in `If-Match`.",
    required: true,
    schema: { type: "string" },
  },
} as const;
