import type { Context } from "hono";
import type { AppEnv } from "../types";

/** Where clients reach this API: `PUBLIC_BASE_URL`, else the request's own origin. */
export const baseUrlOf = (c: Context<AppEnv>) =>
  c.env.PUBLIC_BASE_URL?.replace(/\/+$/, "") || new URL(c.req.url).origin;
