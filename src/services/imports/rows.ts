import type { FieldError } from "../../lib/errors";
import type { ContactCreateInput } from "../../schemas/contact";
import type { ColumnMapping } from "../../schemas/import";
import type { OrgContext } from "../contact-input";
import { validateContact } from "../contact-validation";
import { type Answer, toContactInput } from "../webhooks/answers";
import { coerceAttributes } from "../webhooks/coerce";

/** `sms, whatsapp` in one cell: channels listed with `,`, `;` or `|`. */
const CHANNEL_SEPARATORS = /[,;|]/;

/**
 * A row as a contact input, as a form delivery becomes one (`toContactInput`): a blank cell leaves
 * its field alone (an import never clears a field), `gender` is read case-insensitively, a
 * `channels` cell is split into its channels, attribute cells are read as their definition's type
 * when they plainly are one (`"31"` for a number, `"yes"` for a boolean).
 */
export async function rowInput(cells: readonly string[], mappings: ColumnMapping[], org: OrgContext) {
  const answers: Answer[] = mappings.map(({ column, field }) => {
    const cell = cells[column] ?? "";
    return { names: [String(column)], value: field === "channels" ? cell.split(CHANNEL_SEPARATORS) : cell };
  });
  const fieldMap = Object.fromEntries(mappings.map(({ column, field }) => [String(column), field]));
  return coerceAttributes(toContactInput(answers, fieldMap), org);
}

/** A row validated exactly like an upsert item, its errors keyed by the mapped field. */
export async function validateRow(
  cells: readonly string[],
  mappings: ColumnMapping[],
  org: OrgContext,
): Promise<{ ok: true; input: ContactCreateInput } | { ok: false; fieldErrors: FieldError[] }> {
  return validateContact(await rowInput(cells, mappings, org), org);
}

/** What the results show of a row: each mapped field and its cell as uploaded. */
export function rowValues(cells: readonly string[], mappings: ColumnMapping[]): Record<string, string> {
  return Object.fromEntries(mappings.map(({ column, field }) => [field, cells[column] ?? ""]));
}
