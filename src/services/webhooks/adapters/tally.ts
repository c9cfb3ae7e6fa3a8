import type { FieldMap } from "../../../schemas/webhook-source";
import { type Adapted, type Answer, eventIdOf, isRecord, toContactInput } from "../answers";

const KINDS = { INPUT_PHONE_NUMBER: "primaryPhone", INPUT_EMAIL: "primaryEmail" } as const;

/** Choice questions send option ids: the respondent chose the options' texts. */
function answerValue(field: Record<string, unknown>): unknown {
  if (!Array.isArray(field.options) || !Array.isArray(field.value)) return field.value;
  const texts = new Map<unknown, unknown>();
  for (const option of field.options) if (isRecord(option)) texts.set(option.id, option.text);
  return field.value.map((id) => texts.get(id) ?? id);
}

/**
 * Tally `FORM_RESPONSE`: `data.fields[]` of `{ key, label, type, value }`, typed
 * `INPUT_PHONE_NUMBER`, `INPUT_EMAIL`, `INPUT_TEXT`, `MULTIPLE_CHOICE`, `HIDDEN_FIELDS`, …
 * A field is named by its key and its label. Event id: `eventId`.
 *
 * @example adaptTally(payload, { "question_3Ex9Ld": "customAttributes.company" })
 */
export function adaptTally(payload: unknown, fieldMap: FieldMap): Adapted {
  const body = isRecord(payload) ? payload : {};
  const data = isRecord(body.data) ? body.data : {};
  const answers: Answer[] = [];
  for (const field of Array.isArray(data.fields) ? data.fields : []) {
    if (!isRecord(field)) continue;
    const names = [field.key, field.label].filter((n): n is string => typeof n === "string");
    answers.push({ names, kind: KINDS[field.type as keyof typeof KINDS], value: answerValue(field) });
  }
  return { eventId: eventIdOf(body.eventId), input: toContactInput(answers, fieldMap) };
}
