// Starts Swagger UI on /docs (a file, not an inline script, so the page's CSP can forbid inline code).
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#api-reference",
  deepLinking: true,
  tryItOutEnabled: true,
  persistAuthorization: false,
  validatorUrl: null,
});
