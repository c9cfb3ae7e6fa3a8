import type { RouteDoc } from "../registry";
import { accountDocs } from "./account";
import { contactDocs } from "./contacts";
import { customAttributeDocs } from "./custom-attributes";
import { metaDocs } from "./meta";
import { webhookDocs } from "./webhooks";

// A new route: one entry in the file of its resource here (a new resource: a new file, listed
// below). The entry names the route's own zod schemas (params, query, headers, body), its
// success answers (a zod schema from src/schemas/responses.ts) and the error codes its handler
// throws; the builder adds what the middleware implies. The test suite fails until it is there:
// test/openapi/document.test.ts compares this list with `createApp().routes`, and every answer
// that a test receives through `api()` must match it.

/** Every operation of the API, in the order the docs page lists them within a tag. */
export const ROUTE_DOCS: RouteDoc[] = [
  ...contactDocs,
  ...customAttributeDocs,
  ...webhookDocs,
  ...accountDocs,
  ...metaDocs,
];
