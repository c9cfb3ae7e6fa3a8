import { Hono } from "hono";
import type { AppEnv } from "../../types";
import { intakeHandlers } from "./intake";

/** Form builders post here; mounted outside `/api`, so no API key is asked for. */
export const hookRoutes = new Hono<AppEnv>().post("/:token", ...intakeHandlers);
