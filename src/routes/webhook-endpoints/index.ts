import { createRouter } from "../define-route";
import * as create from "./create";
import * as remove from "./delete";
import * as deliveries from "./deliveries";
import * as list from "./list";
import * as read from "./read";
import * as retry from "./retry";

/** `/api/webhook-endpoints` (docs/webhooks.md#events-out): changes need an admin key; every role may read. */
export const webhookEndpointRoutes = createRouter()
  .openapi(create.route, create.handler)
  .openapi(list.route, list.handler)
  .openapi(read.route, read.handler)
  .openapi(remove.route, remove.handler)
  .openapi(deliveries.route, deliveries.handler)
  .openapi(retry.route, retry.handler);
