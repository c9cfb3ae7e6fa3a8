import { Hono } from "hono";
import type { AppEnv } from "../../types";
import { createAttributeHandlers } from "./create";
import { deleteAttributeHandlers } from "./delete";
import { listAttributesHandlers } from "./list";
import { readAttributeHandlers } from "./read";
import { updateAttributeHandlers } from "./update";

/** `/api/custom-attributes` (CONTRACT §6). PATCH is PUT: `description` is the only mutable field. */
export const customAttributeRoutes = new Hono<AppEnv>()
  .get("/", ...listAttributesHandlers)
  .post("/", ...createAttributeHandlers)
  .get("/:id", ...readAttributeHandlers)
  .put("/:id", ...updateAttributeHandlers)
  .patch("/:id", ...updateAttributeHandlers)
  .delete("/:id", ...deleteAttributeHandlers);
