import { Hono } from "hono";
import type { AppEnv } from "../../types";
import { createContactHandlers } from "./create";
import { deleteContactHandlers } from "./delete";
import { listContactsHandlers } from "./list";
import { readContactHandlers } from "./read";
import { updateContactHandlers } from "./update";

export const contactRoutes = new Hono<AppEnv>()
  .post("/", ...createContactHandlers)
  .get("/", ...listContactsHandlers)
  .get("/:id", ...readContactHandlers)
  .put("/:id", ...updateContactHandlers)
  .patch("/:id", ...updateContactHandlers)
  .delete("/:id", ...deleteContactHandlers);
