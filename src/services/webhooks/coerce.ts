import type { AttributeType } from "../../schemas/custom-attribute";
import type { OrgContext } from "../contact-input";

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
const TRUE = new Set(["true", "yes", "on", "1"]);
const FALSE = new Set(["false", "no", "off", "0"]);

/** A form's text answer read as the type its attribute is defined with, when it plainly is one. */
function coerce(type: AttributeType | undefined, value: unknown): unknown {
  if (type === "number" && typeof value === "string" && NUMBER.test(value.trim())) {
    const n = Number(value.trim());
    return Number.isFinite(n) ? n : value;
  }
  if (type === "boolean" && typeof value === "string") {
    const word = value.trim().toLowerCase();
    return TRUE.has(word) ? true : FALSE.has(word) ? false : value;
  }
  if ((type === "text" || type === "phone_number") && typeof value === "number") return String(value);
  if (type === "text" && Array.isArray(value) && value.every((v) => typeof v === "string")) return value.join(", ");
  return value;
}

/**
 * Form fields only carry text (and Webflow sends some numbers), while the API's typed attributes
 * refuse `"42"` for a number. For a delivery, a `customAttributes` value is converted to its
 * definition's type when it plainly reads as one (`"42"` → 42, `"yes"`/`"on"` → true, a number
 * → text, a list of chosen options → one text); anything else is left for validation to refuse. Definitions are read only when the
 * input has attribute values, through the same context validation then uses.
 *
 * @example await coerceAttributes({ customAttributes: { seats: "12" } }, org) // seats: 12 when seats is a number
 */
export async function coerceAttributes(
  input: Record<string, unknown>,
  org: OrgContext,
): Promise<Record<string, unknown>> {
  const attributes = input.customAttributes as Record<string, unknown> | undefined;
  if (!attributes || Object.keys(attributes).length === 0) return input;
  const types = await org.attributeTypes();
  if (types.size === 0) return input;
  const coerced = Object.fromEntries(Object.entries(attributes).map(([name, v]) => [name, coerce(types.get(name), v)]));
  return { ...input, customAttributes: coerced };
}
