import * as z from "zod";
import { text, wholeNumber } from "./common";
import { email } from "./contact";

/** The columns a list may be sorted by, as the API names them. */
export const CONTACT_SORT_FIELDS = [
  "firstName",
  "lastName",
  "primaryPhone",
  "primaryEmail",
  "createdAt",
  "updatedAt",
] as const;
export type ContactSortField = (typeof CONTACT_SORT_FIELDS)[number];

/** An opaque `cursor` as this API writes them (base64url), checked further by the service. */
export const cursorParam = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,1000}$/, "invalidCursor")
  .meta({ description: "`meta.nextCursor` of the previous page, with the same other parameters." });

/** A point in time, ISO 8601 with `Z` or an offset, compared as UTC milliseconds. */
export const instant = z.iso
  .datetime({ offset: true })
  .transform((value) => new Date(value).toISOString())
  .meta({ format: "date-time" });

/**
 * `GET /api/contact` (docs/api.md#list). Strict: an unknown parameter, a repeated one (it arrives
 * as an array) or a bad value is a `400`; so is a control character (NUL included) in `search`.
 * A blank `search` means no search. `page` has no default here: with `cursor` it is a `400`.
 *
 * @example contactListQuerySchema.parse({ page: "2", search: "doe" })
 * // { page: 2, limit: 20, search: "doe", sortBy: "createdAt", sortOrder: "desc" }
 */
export const contactListQuerySchema = z
  .strictObject({
    page: wholeNumber(1).optional().meta({ description: "1-based; default 1. Not with `cursor`." }),
    cursor: cursorParam.optional(),
    limit: wholeNumber(1, 100).default(20),
    search: text(100, { controls: false })
      .transform((s) => s || undefined)
      .optional(),
    sortBy: z.enum(CONTACT_SORT_FIELDS).default("createdAt"),
    sortOrder: z.enum(["asc", "desc"]).default("desc"),
    updatedAfter: instant.optional().meta({ description: "Only contacts whose `updatedAt` is strictly later." }),
    primaryPhone: text(32, { controls: false })
      .pipe(z.string().min(1))
      .optional()
      .meta({ description: "Exact phone, normalised as a create normalises it (the organization's default country)." }),
    primaryEmail: email.optional().meta({ description: "Exact e-mail, case-insensitive." }),
  })
  .superRefine((query, ctx) => {
    if (query.cursor !== undefined && query.page !== undefined) {
      ctx.addIssue({ code: "custom", path: ["cursor"], message: "cursorWithPage", params: { code: "cursorWithPage" } });
    }
  });
export type ContactListQuery = z.infer<typeof contactListQuerySchema>;

/** `GET /api/contact/deleted` (docs/api.md#deleted-since). */
export const deletedContactsQuerySchema = z.strictObject({
  deletedAfter: instant.optional().meta({ description: "Only contacts deleted strictly later." }),
  cursor: cursorParam.optional(),
  limit: wholeNumber(1, 1000).default(100),
});
export type DeletedContactsQuery = z.infer<typeof deletedContactsQuerySchema>;
