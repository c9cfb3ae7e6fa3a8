/**
 * The strong ETag of a contact: its `updatedAt` (which advances on every change of the contact)
 * in base 36 milliseconds, and the random tail of its id. Computed from the row, never stored;
 * decodable back to `updatedAt`, so that `If-Match` becomes a condition of the write itself.
 *
 * @example etagOf({ id: "0192f4e6-7b1a-7c3e-9a4f-2d8b6c1e5f30", updatedAt: "2026-01-01T00:00:00.000Z" })
 * // "\"mjuohs00.2d8b6c1e5f30\""
 */
export function etagOf(contact: { id: string; updatedAt: string }): string {
  return `"${Date.parse(contact.updatedAt).toString(36)}.${contact.id.slice(-12)}"`;
}

/** `If-Match` as RFC 9110 §13.1.1 reads it: `*`, or the entity tags it lists. */
export type IfMatch = "*" | string[];

/**
 * Parses `If-Match`: `*`, or a comma-separated list of entity tags. Weak tags (`W/"…"`) never
 * match (If-Match compares strongly); so does anything that is not an entity tag.
 *
 * @example parseIfMatch('"a", W/"b", "c"') // ['"a"', '"c"']
 */
export function parseIfMatch(header: string): IfMatch {
  if (header.trim() === "*") return "*";
  return [...header.matchAll(/(W\/)?("[\x21\x23-\x7e\x80-\xff]*")/g)].filter((m) => !m[1]).map((m) => m[2] as string);
}

/**
 * The `updatedAt` values at which a contact would carry one of `tags`: a write conditioned on
 * `updated_at IN (…)` of them is the `If-Match` check, done by SQLite in the write.
 */
export function updatedAtsMatching(id: string, tags: string[]): string[] {
  const tail = id.slice(-12);
  const instants = new Set<string>();
  for (const tag of tags) {
    const match = tag.match(/^"([0-9a-z]{1,12})\.([0-9a-f]{12})"$/);
    if (!match || match[2] !== tail) continue;
    const ms = Number.parseInt(match[1] as string, 36);
    if (ms <= 8.64e15) instants.add(new Date(ms).toISOString());
  }
  return [...instants];
}
