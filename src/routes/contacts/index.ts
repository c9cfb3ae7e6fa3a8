import { Hono } from "hono";
import type { AppEnv } from "../../types";
import { createContactHandlers } from "./create";
import { deleteContactHandlers } from "./delete";
import { listContactsHandlers } from "./list";
import { readContactHandlers } from "./read";
import { updateContactHandlers } from "./update";
import { upsertContactsHandlers } from "./upsert";

export const contactRoutes = new Hono<AppEnv>()
  .post("/", ...createContactHandlers)
  .post("/upsert", ...upsertContactsHandlers)
  .get("/", ...listContactsHandlers)
  .get("/:id", ...readContactHandlers)
  .put("/:id", ...updateContactHandlers)
  .patch("/:id", ...updateContactHandlers)
  .delete("/:id", ...deleteContactHandlers);
