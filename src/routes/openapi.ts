import { Hono } from "hono";
import { renderDocsPage } from "../openapi/docs-page";
import { buildOpenApiDocument, type OpenApiDocument } from "../openapi/document";
import type { AppEnv } from "../types";

// Built on the first request, not at start-up: most isolates never serve these routes.
let document: OpenApiDocument | undefined;
const rendered = new Map<string, { json: string; html: string }>();

/** The document and page with this origin as their server, so imports and curl lines point back here. */
function forOrigin(origin: string) {
  let entry = rendered.get(origin);
  if (!entry) {
    document ??= buildOpenApiDocument();
    const doc = { ...document, servers: [{ url: origin, description: "This server" }] };
    entry = { json: JSON.stringify(doc), html: renderDocsPage(doc) };
    if (rendered.size >= 8) rendered.clear();
    rendered.set(origin, entry);
  }
  return entry;
}

/** No request leaves the page: no script at all, styles inline, nothing but this origin. */
const DOCS_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** `GET /openapi.json` and `GET /docs`: the API's own description. No API key. */
export const openApiRoutes = new Hono<AppEnv>()
  .get("/openapi.json", (c) =>
    c.body(forOrigin(new URL(c.req.url).origin).json, 200, { "Content-Type": "application/json; charset=utf-8" }),
  )
  .get("/docs", (c) => c.html(forOrigin(new URL(c.req.url).origin).html, 200, { "Content-Security-Policy": DOCS_CSP }));
