import { Hono } from "hono";
import type { AppEnv } from "../types";

/** `GET /health`: liveness only; touches no binding, needs no key. */
export const healthRoutes = new Hono<AppEnv>().get("/", (c) => c.json({ status: "ok" }));
