// The sync loop of docs/sync.md, verbatim below this comment: `tsc -p .` typechecks it and
// scripts/readme-example.ts fails `npm run typecheck` when the two differ.
import { type Contact, createClient } from "contacts-edge/client";

const client = createClient("http://localhost:8787", "cek_…");
const OVERLAP_MS = 5 * 60_000; // start each sync this much before the last change seen
const mine = new Map<string, Contact>(); // your copy, by contact id
const last = { updatedAt: "", deletedAt: "" }; // keep these with your copy
const overlap = (at: string) => (at ? { after: new Date(Date.parse(at) - OVERLAP_MS).toISOString() } : undefined);

export async function sync() {
  const changed = overlap(last.updatedAt);
  let cursor: string | undefined;
  do {
    const query = { sortBy: "updatedAt", sortOrder: "asc", limit: "100" } as const;
    const res = await client.api.contact.$get({
      query: { ...query, ...(changed && { updatedAfter: changed.after }), ...(cursor && { cursor }) },
    });
    if (res.status !== 200) throw new Error(`list: ${res.status}`);
    const { data, meta } = await res.json();
    for (const c of data) if ((mine.get(c.id)?.updatedAt ?? "") <= c.updatedAt) mine.set(c.id, c);
    last.updatedAt = data.at(-1)?.updatedAt ?? last.updatedAt;
    cursor = meta.nextCursor ?? undefined;
  } while (cursor);

  const deleted = overlap(last.deletedAt);
  do {
    const res = await client.api.contact.deleted.$get({
      query: { limit: "1000", ...(deleted && { deletedAfter: deleted.after }), ...(cursor && { cursor }) },
    });
    if (res.status !== 200) throw new Error(`deleted: ${res.status}`);
    const { data, meta } = await res.json();
    for (const { id } of data) mine.delete(id);
    last.deletedAt = data.at(-1)?.deletedAt ?? last.deletedAt;
    cursor = meta.nextCursor ?? undefined;
  } while (cursor);
}
