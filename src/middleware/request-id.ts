import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../types";

/** A caller's id is echoed only when it is short and harmless to put in logs and headers. */
const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export const requestId = createMiddleware<AppEnv>(async (c, next) => {
  const incoming = c.req.header("X-Request-Id");
  const id = incoming && SANE_ID.test(incoming) ? incoming : crypto.randomUUID();
  c.set("requestId", id);
  await next();
  c.res.headers.set("X-Request-Id", id);
});
