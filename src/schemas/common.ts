import * as z from "zod";

/**
 * A query parameter that must be a whole number. Only plain digits become a number: `1e2`,
 * `0x10`, ` 5` or `5.0` stay strings and fail as "must be an integer", where `z.coerce`
 * would quietly accept them.
 *
 * @example z.strictObject({ page: wholeNumber(1).default(1) }).parse({ page: "2" }) // { page: 2 }
 */
export const wholeNumber = (min: number, max?: number) => {
  const int = z.int().min(min);
  return z.preprocess(
    (v) => (typeof v === "string" && /^\d{1,16}$/.test(v) ? Number(v) : v),
    max === undefined ? int : int.max(max),
  );
};

/** `/:id` of any resource: a UUID, compared lower-case as ids are stored. */
export const idParamSchema = z.strictObject({ id: z.uuid().transform((id) => id.toLowerCase()) });
