import { Hono } from "hono";
import type { AppEnv } from "../../types";
import { createWebhookSourceHandlers } from "./create";
import { revokeWebhookSourceHandlers } from "./delete";
import { listDeliveriesHandlers } from "./deliveries";
import { listWebhookSourcesHandlers } from "./list";
import { readWebhookSourceHandlers } from "./read";

/** Creating and revoking sources needs an admin key; every role may read them and their delivery logs. */
export const webhookSourceRoutes = new Hono<AppEnv>()
  .post("/", ...createWebhookSourceHandlers)
  .get("/", ...listWebhookSourcesHandlers)
  .get("/:id", ...readWebhookSourceHandlers)
  .delete("/:id", ...revokeWebhookSourceHandlers)
  .get("/:id/deliveries", ...listDeliveriesHandlers);
