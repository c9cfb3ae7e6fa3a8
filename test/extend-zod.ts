// zod 4 binds what is added to its prototypes onto each schema when the schema is built, so
// @hono/zod-openapi's extension (`.openapi()`, which the document's generator calls) must run before
// any schema module is evaluated. The Worker's entry no longer imports the routes at start-up
// (src/worker.ts), so a test file that imports a service or a schema first would build its schemas
// unextended: this setup file, run before every test file, extends zod first.
import "@hono/zod-openapi";
