import { createRouter } from "../define-route";
import * as create from "./create";
import * as remove from "./delete";
import * as deliveries from "./deliveries";
import * as list from "./list";
import * as read from "./read";

/** `/api/webhook-sources` (docs/webhooks.md): creating and revoking need an admin key; every role may read. */
export const webhookSourceRoutes = createRouter()
  .openapi(create.route, create.handler)
  .openapi(list.route, list.handler)
  .openapi(read.route, read.handler)
  .openapi(remove.route, remove.handler)
  .openapi(deliveries.route, deliveries.handler);
