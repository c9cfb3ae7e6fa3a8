// The module "zod" in the Worker bundle (ALIASES of scripts/build-worker.ts). @hono/zod-openapi does
// `import { z } from "zod"` and passes `z` to `extendZodWithOpenApi`, which keeps the whole
// namespace, every locale included (+65 KB gzip). That call reads `z.ZodType` only, so this module
// gives it just that; everything else is zod's own exports, which esbuild shakes as usual.
import { ZodType } from "../../node_modules/zod/v4/classic/external.js";

export * from "../../node_modules/zod/v4/classic/external.js";
export const z = { ZodType };
export default z;
