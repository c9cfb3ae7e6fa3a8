import "../../lib/docs";
import { type AppRouteHandler, defineRoute } from "../define-route";

export const route = defineRoute({
  method: "get",
  path: "/docs",
  ...(DOCS && {
    operationId: "getDocs",
    tags: ["Meta"],
    summary: "API reference (HTML)",
    description:
      "This document as a web page with try-it (Swagger UI, served from this origin: the page loads nothing from elsewhere).",
  }),
  responses: {
    200: { description: "The reference page.", content: { "text/html": { schema: { type: "string" } } } },
  },
});

/** Swagger UI's files are static assets (`public/docs/`, see scripts/build-assets.ts); nothing else is allowed. */
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; font-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>contacts-edge API</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
<div id="api-reference"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`;

export const handler: AppRouteHandler<typeof route> = (c) =>
  c.html(PAGE, 200, { "Content-Security-Policy": CSP }) as never;
