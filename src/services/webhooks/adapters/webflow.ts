import type { FieldMap } from "../../../schemas/webhook-source";
import { type Adapted, eventIdOf, isRecord, toContactInput } from "../answers";

/**
 * Webflow `form_submission`: `payload.data` maps each field's label to its value (a phone
 * field may arrive as a JSON number, which is written out as digits). Event id: `payload.id`.
 * The older v1 shape (the submission itself, with `_id`) is read too.
 *
 * @example adaptWebflow(payload, { "Company": "customAttributes.company" })
 */
export function adaptWebflow(payload: unknown, fieldMap: FieldMap): Adapted {
  const body = isRecord(payload) ? payload : {};
  const submission = isRecord(body.payload) ? body.payload : body;
  const data = isRecord(submission.data) ? submission.data : {};
  const answers = Object.entries(data).map(([label, value]) => ({ names: [label], value }));
  return { eventId: eventIdOf(submission.id ?? submission._id), input: toContactInput(answers, fieldMap) };
}
