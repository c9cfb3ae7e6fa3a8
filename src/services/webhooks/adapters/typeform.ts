import type { FieldMap } from "../../../schemas/webhook-source";
import { type Adapted, type Answer, eventIdOf, isRecord, toContactInput } from "../answers";

/** The value of one Typeform answer: its type names the member that holds it. */
function answerValue(answer: Record<string, unknown>): unknown {
  switch (answer.type) {
    case "choice": {
      const choice = isRecord(answer.choice) ? answer.choice : {};
      return choice.label ?? choice.other;
    }
    case "choices": {
      const choices = isRecord(answer.choices) ? answer.choices : {};
      const labels = Array.isArray(choices.labels) ? choices.labels : [];
      return choices.other === undefined ? labels : [...labels, choices.other];
    }
    case "payment":
      return undefined;
    default:
      return typeof answer.type === "string" ? answer[answer.type] : undefined;
  }
}

const KINDS = { phone_number: "primaryPhone", email: "primaryEmail" } as const;

/**
 * Typeform `form_response`: each of `answers[]` carries its `type` (`phone_number`, `email`,
 * `text`, `choice`, …) and its field's `ref` and `id` (the question's title comes from
 * `definition.fields`); `hidden` fields are answers named by their key. Event id: `event_id`.
 *
 * @example adaptTypeform(payload, { "readable_ref_short_text": "firstName" })
 */
export function adaptTypeform(payload: unknown, fieldMap: FieldMap): Adapted {
  const body = isRecord(payload) ? payload : {};
  const response = isRecord(body.form_response) ? body.form_response : {};
  const definition = isRecord(response.definition) ? response.definition : {};
  const titles = new Map<string, string>();
  for (const field of Array.isArray(definition.fields) ? definition.fields : []) {
    if (isRecord(field) && typeof field.id === "string" && typeof field.title === "string") {
      titles.set(field.id, field.title);
    }
  }

  const answers: Answer[] = [];
  for (const answer of Array.isArray(response.answers) ? response.answers : []) {
    if (!isRecord(answer)) continue;
    const field = isRecord(answer.field) ? answer.field : {};
    const id = typeof field.id === "string" ? field.id : undefined;
    const names = [field.ref, id, id && titles.get(id)].filter((n): n is string => typeof n === "string");
    const kind = KINDS[answer.type as keyof typeof KINDS];
    answers.push({ names, kind, value: answerValue(answer) });
  }
  for (const [key, value] of Object.entries(isRecord(response.hidden) ? response.hidden : {})) {
    answers.push({ names: [key], value });
  }
  return { eventId: eventIdOf(body.event_id), input: toContactInput(answers, fieldMap) };
}
