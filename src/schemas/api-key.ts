import * as z from "zod";
import { text } from "./common";

/** What a key may do (docs/api.md#roles). */
export const ROLES = ["admin", "manager", "agent"] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

/**
 * `POST /api/keys`. `expiresAt` is any ISO 8601 date-time with `Z` or an offset, stored as UTC with
 * milliseconds; it must lie in the future, which the key service checks (it knows the time).
 *
 * @example apiKeyCreateSchema.parse({ name: "crm sync", role: "agent" })
 */
export const apiKeyCreateSchema = z.strictObject({
  name: text(64, { controls: false, min: 1 }),
  role: roleSchema,
  expiresAt: z.iso
    .datetime({ offset: true })
    .transform((at) => new Date(at).toISOString())
    .nullable()
    .optional(),
});
export type ApiKeyCreateInput = z.infer<typeof apiKeyCreateSchema>;

/** `/api/keys/:keyId`: a UUID, compared lower-case as ids are stored. */
export const keyIdParamSchema = z.strictObject({ keyId: z.uuid().transform((id) => id.toLowerCase()) });
