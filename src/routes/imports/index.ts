import { createRouter } from "../define-route";
import * as execute from "./execute";
import * as failedRows from "./failed-rows";
import * as read from "./read";
import * as results from "./results";
import * as upload from "./upload";
import * as validate from "./validate";

/** `/api/contact/ingestion` (docs/import.md): every role, like the contact routes. */
export const importRoutes = createRouter()
  .openapi(upload.route, upload.handler)
  .openapi(validate.route, validate.handler)
  .openapi(execute.route, execute.handler)
  .openapi(results.route, results.handler)
  .openapi(failedRows.route, failedRows.handler)
  .openapi(read.route, read.handler);
