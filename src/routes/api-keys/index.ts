import { createRouter } from "../define-route";
import * as create from "./create";
import * as remove from "./delete";
import * as list from "./list";

/** `/api/keys` (docs/api.md#api-keys): the organization's keys, for its admins only. */
export const apiKeyRoutes = createRouter()
  .openapi(create.route, create.handler)
  .openapi(list.route, list.handler)
  .openapi(remove.route, remove.handler);
