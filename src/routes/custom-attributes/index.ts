import { createRouter } from "../define-route";
import * as create from "./create";
import * as remove from "./delete";
import * as list from "./list";
import * as read from "./read";
import * as update from "./update";

/** `/api/custom-attributes` (docs/api.md#custom-attributes). */
export const customAttributeRoutes = createRouter()
  .openapi(list.route, list.handler)
  .openapi(create.route, create.handler)
  .openapi(read.route, read.handler)
  .openapi(update.putRoute, update.handler)
  .openapi(update.patchRoute, update.handler)
  .openapi(remove.route, remove.handler);
