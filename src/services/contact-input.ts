import { type FieldError, validationError } from "../lib/errors";
import { isInternational, normalizePhone, PHONE_MESSAGES } from "../lib/phone";

/** What validation needs to know about the organization, loaded only when an input needs it. */
export interface OrgContext {
  organizationId: string;
  defaultCountry(): Promise<string | null>;
}

interface WithPhone {
  primaryPhone?: string | null;
}

/**
 * The context-dependent half of validation (the zod schemas are the context-free half):
 * phones become E.164 using the organization's default country when a number is national.
 * Every failure of every input is collected, keyed under `prefix(i)`, before anything is thrown.
 */
export async function resolveInputs<T extends WithPhone>(
  inputs: T[],
  org: OrgContext,
  prefix: (index: number) => PropertyKey[] = () => [],
): Promise<T[]> {
  const needsCountry = inputs.some((input) => input.primaryPhone && !isInternational(input.primaryPhone));
  const country = needsCountry ? await org.defaultCountry() : null;
  const errors: FieldError[] = [];
  const resolved = inputs.map((input, index) => {
    if (!input.primaryPhone) return input;
    const phone = normalizePhone(input.primaryPhone, country);
    if (phone.ok) return { ...input, primaryPhone: phone.e164 };
    const path = [...prefix(index), "primaryPhone"].map(String).join(".");
    errors.push({ path, code: phone.code, message: PHONE_MESSAGES[phone.code](path) });
    return input;
  });
  if (errors.length > 0) throw validationError(errors);
  return resolved;
}

/** {@link resolveInputs} for one input, with its errors keyed at the top level. */
export async function resolveInput<T extends WithPhone>(input: T, org: OrgContext): Promise<T> {
  const [resolved] = await resolveInputs([input], org);
  return resolved as T;
}

/** `fullName` when the caller gave none: "<firstName> <lastName>" (CONTRACT §4.1 +). */
export function deriveFullName(firstName?: string | null, lastName?: string | null): string | null {
  const parts = [firstName, lastName].filter((p): p is string => !!p);
  return parts.length > 0 ? parts.join(" ").slice(0, 64) : null;
}
