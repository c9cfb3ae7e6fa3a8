import * as z from "zod";
import { text, textOrNull } from "./common";

/** `text`, `number`, `boolean`, `date`, `phone_number`, `email`, `url` (docs/api.md#custom-attributes): the one list; D1's column reads it. */
export const ATTRIBUTE_TYPES = ["text", "number", "boolean", "date", "phone_number", "email", "url"] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];

const description = textOrNull(256);

/** Present at all in an update body → 400 naming the field: these never change (delete and define again). */
const immutable = z
  .unknown()
  .refine(() => false, { message: "immutableField", params: { code: "immutableField" } })
  .optional()
  // The document says it as the validator does: any value is refused.
  .meta({ not: {}, description: "Never changes: sending it is `400 immutableField` (delete and define again)." });

/** `POST /api/custom-attributes`. `name` is not sent: it is the slug of `displayName`. */
export const attributeCreateSchema = z.strictObject({
  displayName: text(64, { min: 3 }),
  description: description.optional(),
  type: z.enum(ATTRIBUTE_TYPES),
});

/** `PUT`/`PATCH /api/custom-attributes/:id`: only `description` may change (`null` or blank clears it). */
export const attributeUpdateSchema = z.strictObject({
  description,
  name: immutable,
  displayName: immutable,
  type: immutable,
});

export type AttributeCreateInput = z.infer<typeof attributeCreateSchema>;
export type AttributeUpdateInput = z.infer<typeof attributeUpdateSchema>;
