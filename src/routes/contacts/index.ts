import { createRouter } from "../define-route";
import * as create from "./create";
import * as remove from "./delete";
import * as deleted from "./deleted";
import * as list from "./list";
import * as read from "./read";
import * as update from "./update";
import * as upsert from "./upsert";

/** `/api/contact` (docs/api.md#routes). The static `/upsert` and `/deleted` are declared before `/{id}`. */
export const contactRoutes = createRouter()
  .openapi(create.route, create.handler, create.hook)
  .openapi(upsert.route, upsert.handler, upsert.hook)
  .openapi(list.route, list.handler)
  .openapi(deleted.route, deleted.handler)
  .openapi(read.route, read.handler)
  .openapi(update.putRoute, update.handler, update.hook)
  .openapi(update.patchRoute, update.handler, update.hook)
  .openapi(remove.route, remove.handler);
