import { Hono } from "hono";
import type { AppEnv } from "../../types";
import { createContactHandlers } from "./create";

export const contactRoutes = new Hono<AppEnv>().post("/", ...createContactHandlers);
