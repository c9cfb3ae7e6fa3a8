import type { FieldMap } from "../../../schemas/webhook-source";
import { type Adapted, type Answer, eventIdOf, isRecord, toContactInput } from "../answers";

const joined = (parts: unknown[], separator: string) =>
  parts.filter((p) => typeof p === "string" && p.trim() !== "").join(separator);

/**
 * One Jotform answer, whose compound widgets arrive as objects: a name `{ first, last }`, a
 * phone `{ full }` (or `{ area, phone }`), an address `{ addr_line1, city, state, postal, … }`,
 * a date `{ year, month, day }`. Each part becomes an answer of its own (`fullName.first`).
 */
function answersOf(names: string[], value: unknown): Answer[] {
  if (!isRecord(value)) return [{ names, value }];
  const part = (key: string, kind?: Answer["kind"]): Answer => ({
    names: names.map((n) => `${n}.${key}`),
    kind,
    value: value[key],
  });
  if ("full" in value || "phone" in value) {
    const full = value.full ?? joined([value.area, value.phone], "");
    return [{ names, kind: "primaryPhone", value: full }];
  }
  if ("first" in value || "last" in value) {
    const whole = joined([value.prefix, value.first, value.middle, value.last, value.suffix], " ");
    return [{ names, value: whole }, part("first", "firstName"), part("last", "lastName")];
  }
  if ("addr_line1" in value) {
    return [
      { names, value: joined([value.addr_line1, value.addr_line2, value.city, value.state, value.postal], ", ") },
      {
        names: names.map((n) => `${n}.addr_line1`),
        kind: "address",
        value: joined([value.addr_line1, value.addr_line2], ", "),
      },
      part("city", "city"),
      part("state", "state"),
      part("postal", "zip"),
      part("country"),
    ];
  }
  if ("year" in value && "month" in value && "day" in value) {
    return [{ names, value: joined([value.year, value.month, value.day], "-") }];
  }
  return [{ names, value }];
}

/**
 * Jotform: a multipart form whose `rawRequest` field holds the answers as a JSON string, keyed
 * `q<number>_<uniqueName>` (`q3_email`, `q4_fullName`, `q5_phoneNumber`); other keys of
 * `rawRequest` are Jotform's own. An answer is named by its key and by its unique name (with and
 * without a trailing number, `email3` → `email`). Event id: `submissionID`.
 *
 * @example adaptJotform({ submissionID: "58…", rawRequest: '{"q5_phoneNumber":{"full":"+212 612-345678"}}' }, {})
 */
export function adaptJotform(payload: unknown, fieldMap: FieldMap): Adapted {
  const body = isRecord(payload) ? payload : {};
  let raw: unknown = body.rawRequest;
  if (typeof raw === "string") {
    try {
      raw = JSON.parse(raw);
    } catch {
      raw = {};
    }
  }
  const answers: Answer[] = [];
  for (const [key, value] of Object.entries(isRecord(raw) ? raw : {})) {
    const name = key.match(/^q\d+_(.+)$/)?.[1];
    if (!name) continue;
    const names = [...new Set([key, name, name.replace(/\d+$/, "")])].filter((n) => n !== "");
    answers.push(...answersOf(names, value));
  }
  return { eventId: eventIdOf(body.submissionID), input: toContactInput(answers, fieldMap) };
}
