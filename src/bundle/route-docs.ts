// The module "./route-docs" (src/routes/route-docs.ts, as src/routes/define-route.ts imports it) in
// the Worker bundle (wrangler.toml [alias]): what the OpenAPI document says of each route beyond its
// declaration (error answers with their examples, headers, security). `defineRoute` calls it only
// where `DOCS` is true (src/lib/docs.ts), never in the deployed Worker, whose document is
// public/openapi.json. It throws if it is ever called. Tests and Node scripts use the real module.

export const documentRoute = (): never => {
  throw new Error("The OpenAPI document is generated at build time: see public/openapi.json");
};
