import { type FieldError, validationError } from "../lib/errors";
import { isInternational, normalizePhone, PHONE_MESSAGES } from "../lib/phone";
import { cutCodePoints } from "../schemas/common";
import type { AttributeValue } from "../schemas/contact";
import { CONTACT_TEXT_FIELDS } from "../schemas/contact-fields";
import type { AttributeType } from "../schemas/custom-attribute";
import { checkAttributeValue, needsDefaultCountry } from "./attribute-types";

/** What validation needs to know about the organization, each part loaded only when an input needs it. */
export interface OrgContext {
  organizationId: string;
  defaultCountry(): Promise<string | null>;
  /** name → type of the organization's live custom attribute definitions. */
  attributeTypes(): Promise<ReadonlyMap<string, AttributeType>>;
}

interface ResolvableInput {
  primaryPhone?: string | null;
  customAttributes?: Record<string, AttributeValue> | null;
}

const NO_TYPES: ReadonlyMap<string, AttributeType> = new Map();

/** Only a non-null value can break a type: `null` removes a key, whatever its definition. */
const carriesAttributeValues = (input: ResolvableInput) =>
  Object.values(input.customAttributes ?? {}).some((value) => value !== null);

const pathOf = (prefix: PropertyKey[], ...rest: PropertyKey[]) => [...prefix, ...rest].map(String).join(".");

/**
 * The context-dependent half of validation (the zod schemas are the context-free half):
 * phones become E.164 using the organization's default country when a number is national, and
 * customAttributes values with a live definition must fit its type (and are normalised by it).
 * Definitions are read once per OrgContext and only when some input carries an attribute value;
 * the default country only when some phone is national. Every failure of every input is
 * collected, keyed under `prefix(i)`, before anything is thrown.
 */
export async function resolveInputs<T extends ResolvableInput>(
  inputs: T[],
  org: OrgContext,
  prefix: (index: number) => PropertyKey[] = () => [],
): Promise<T[]> {
  const types = inputs.some(carriesAttributeValues) ? await org.attributeTypes() : NO_TYPES;
  const needsCountry = inputs.some(
    (input) =>
      (input.primaryPhone && !isInternational(input.primaryPhone)) ||
      Object.entries(input.customAttributes ?? {}).some(([name, value]) => needsDefaultCountry(types.get(name), value)),
  );
  const country = needsCountry ? await org.defaultCountry() : null;
  const errors: FieldError[] = [];
  const resolved = inputs.map((input, index) => {
    let next = input;
    if (input.primaryPhone) {
      const phone = normalizePhone(input.primaryPhone, country);
      if (phone.ok) next = { ...next, primaryPhone: phone.e164 };
      else {
        const path = pathOf(prefix(index), "primaryPhone");
        errors.push({ path, code: phone.code, message: PHONE_MESSAGES[phone.code](path) });
      }
    }
    if (types.size > 0 && input.customAttributes) {
      const attributes = { ...input.customAttributes };
      for (const [name, value] of Object.entries(attributes)) {
        const type = types.get(name);
        if (type === undefined) continue;
        const checked = checkAttributeValue(type, value, country);
        if (checked.ok) attributes[name] = checked.value;
        else {
          const path = pathOf(prefix(index), "customAttributes", name);
          errors.push({ path, code: checked.code, message: checked.message(path) });
        }
      }
      next = { ...next, customAttributes: attributes };
    }
    return next;
  });
  if (errors.length > 0) throw validationError(errors);
  return resolved;
}

/** {@link resolveInputs} for one input, with its errors keyed at the top level. */
export async function resolveInput<T extends ResolvableInput>(input: T, org: OrgContext): Promise<T> {
  const [resolved] = await resolveInputs([input], org);
  return resolved as T;
}

/** `fullName` when the caller gave none: "<firstName> <lastName>", cut at 64 code points (docs/api.md#input-fields). */
export function deriveFullName(firstName?: string | null, lastName?: string | null): string | null {
  const parts = [firstName, lastName].filter((p): p is string => !!p);
  // A cut right after the first name would leave the joining space at the end: it is dropped.
  return parts.length > 0 ? cutCodePoints(parts.join(" "), CONTACT_TEXT_FIELDS.fullName.max).replace(/ +$/, "") : null;
}
