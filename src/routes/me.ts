import { Hono } from "hono";
import type { AppEnv } from "../types";

/** `GET /api/me`: which organization and key the caller is. */
export const meRoutes = new Hono<AppEnv>().get("/", (c) => {
  const { organizationId, keyId, name, role } = c.get("auth");
  return c.json({ organizationId, keyId, keyName: name, role });
});
