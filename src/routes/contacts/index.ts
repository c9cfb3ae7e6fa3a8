import { Hono } from "hono";
import type { AppEnv } from "../../types";
import { createContactHandlers } from "./create";
import { upsertContactsHandlers } from "./upsert";

export const contactRoutes = new Hono<AppEnv>()
  .post("/", ...createContactHandlers)
  .post("/upsert", ...upsertContactsHandlers);
