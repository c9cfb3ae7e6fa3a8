import type { FieldMap } from "../../../schemas/webhook-source";
import { type Adapted, type Answer, eventIdOf, isRecord, toContactInput } from "../answers";

const EVENT_ID_KEYS = ["eventId", "event_id"];
/** `customAttributes.<name>` (a flattened JSON object) or `customAttributes[<name>]` (a form field). */
const ATTRIBUTE_KEY = /^customAttributes(?:\.([a-z][a-z0-9_]{0,63})|\[([a-z][a-z0-9_]{0,63})\])$/;

/**
 * Nested objects are flattened to dotted names (`contact.phone`), each also named by its last
 * key. Shallower fields come first, so a top-level `phone` wins over `company.phone`.
 */
function answersOf(body: Record<string, unknown>): Answer[] {
  const out: Answer[] = [];
  let level: [string, unknown][] = Object.entries(body).filter(([key]) => !EVENT_ID_KEYS.includes(key));
  while (level.length > 0) {
    const next: [string, unknown][] = [];
    for (const [name, value] of level) {
      const match = name.match(ATTRIBUTE_KEY);
      if (match) out.push({ names: [name], kind: `customAttributes.${match[1] ?? match[2]}`, value });
      else if (isRecord(value))
        next.push(...Object.entries(value).map(([k, v]): [string, unknown] => [`${name}.${k}`, v]));
      else out.push({ names: name.includes(".") ? [name, name.slice(name.lastIndexOf(".") + 1)] : [name], value });
    }
    level = next;
  }
  return out;
}

/**
 * `form` (any urlencoded or multipart form) and `json` (any JSON object): fields matched by
 * common names (`phone`, `tel`, `mobile`, `email`, `name`, `first_name`, …) and by the
 * source's fieldMap, so a body in the shape of `POST /api/contact` maps as it is (its
 * `customAttributes`, or form fields named `customAttributes[<name>]`, included). Event id: an
 * `eventId` or `event_id` field, when the sender adds one.
 *
 * @example adaptForm({ phone: "+212612345678", first_name: "John" }, {}).input
 * // { primaryPhone: "+212612345678", firstName: "John" }
 */
export function adaptForm(payload: unknown, fieldMap: FieldMap): Adapted {
  const body = isRecord(payload) ? payload : {};
  const eventId = eventIdOf(EVENT_ID_KEYS.map((k) => body[k]).find((v) => v !== undefined));
  return { eventId, input: toContactInput(answersOf(body), fieldMap) };
}
