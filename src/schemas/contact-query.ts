import * as z from "zod";
import { text, wholeNumber } from "./common";

/** The columns a list may be sorted by, as the API names them. */
export const CONTACT_SORT_FIELDS = ["firstName", "lastName", "primaryPhone", "primaryEmail", "createdAt"] as const;
export type ContactSortField = (typeof CONTACT_SORT_FIELDS)[number];

/**
 * `GET /api/contact` (docs/api.md#list). Strict: an unknown parameter, a repeated one (it arrives
 * as an array) or a bad value is a `400`; so is a control character (NUL included) in `search`.
 * A blank `search` means no search.
 *
 * @example contactListQuerySchema.parse({ page: "2", search: "doe" })
 * // { page: 2, limit: 20, search: "doe", sortBy: "createdAt", sortOrder: "desc" }
 */
export const contactListQuerySchema = z.strictObject({
  page: wholeNumber(1).default(1),
  limit: wholeNumber(1, 100).default(20),
  search: text(100, { controls: false })
    .transform((s) => s || undefined)
    .optional(),
  sortBy: z.enum(CONTACT_SORT_FIELDS).default("createdAt"),
  sortOrder: z.enum(["asc", "desc"]).default("desc"),
});
export type ContactListQuery = z.infer<typeof contactListQuerySchema>;
