import * as z from "zod";
import { getDb } from "../../db/client";
import { listLiveDefinitions, toDefinition } from "../../db/custom-attributes";
import { factory } from "../../factory";
import { validate } from "../../lib/validation";

/** `GET /api/custom-attributes` → a bare array of the live definitions, oldest first. No query parameters. */
export const listAttributesHandlers = factory.createHandlers(validate("query", z.strictObject({})), async (c) => {
  const rows = await listLiveDefinitions(getDb(c.env.DB), c.get("auth").organizationId);
  return c.json(rows.map(toDefinition));
});
