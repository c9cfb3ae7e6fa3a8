import { createFactory } from "hono/factory";
import type { AppEnv } from "./types";

/** Route files build their middleware + handler chains with this, so types flow from the validators. */
export const factory = createFactory<AppEnv>();
