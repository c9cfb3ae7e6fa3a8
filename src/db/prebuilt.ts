import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "./client";

/** What drizzle builds: a query's SQL text and its parameters. */
interface Built {
  sql: string;
  params: unknown[];
}

/** Where each parameter of a built query comes from: a slot's value, or a constant of the build. */
type Source = { slot: string } | { constant: unknown };

/** A unique marker per slot: drizzle binds it as a parameter, where the built query is searched for it. */
const marker = (name: string) => `\u0000slot:${name}\u0000`;

/**
 * A statement whose SQL drizzle builds once per isolate; each use only binds its values. drizzle
 * builds a query's text on every use (the create's insert, outbox and definitions guard cost about
 * 200 µs of CPU a request together, measured in Node); these statements run on every write.
 *
 * `build` writes the query with `slot.<name>` in place of each value: a marker string that drizzle
 * must bind as a parameter as it is (values in `sql` templates, text columns), never transform.
 * The statement is a drizzle batch item, so it joins any `db.batch`: its result in the batch is
 * the rows D1 returned, unmapped (`{ id }` for `RETURNING id`).
 */
export function prebuilt<Name extends string>(
  names: readonly Name[],
  build: (db: Db, slot: Record<Name, string>) => { toSQL(): Built },
): (db: Db, values: Record<Name, unknown>) => BatchItem<"sqlite"> & PromiseLike<unknown[]> {
  let template: { sql: string; sources: Source[] } | undefined;
  return (db, values) => {
    template ??= compile(
      names,
      build(db, Object.fromEntries(names.map((n) => [n, marker(n)])) as Record<Name, string>),
    );
    const { sql, sources } = template;
    const params = sources.map((s) => ("slot" in s ? values[s.slot as Name] : s.constant));
    return boundStatement(db, sql, params);
  };
}

function compile(names: readonly string[], query: { toSQL(): Built }) {
  const bySlot = new Map(names.map((n) => [marker(n), n]));
  const { sql, params } = query.toSQL();
  const sources: Source[] = params.map((p) => {
    const slot = typeof p === "string" ? bySlot.get(p) : undefined;
    return slot === undefined ? { constant: p } : { slot };
  });
  const unused = names.filter((n) => !sources.some((s) => "slot" in s && s.slot === n));
  // A marker drizzle transformed (or a slot never written) would bind a wrong value: fail at once.
  if (unused.length > 0) throw new Error(`prebuilt statement: slots ${unused.join(", ")} not bound as given`);
  return { sql, sources };
}

/**
 * A drizzle batch item for SQL text and its parameters: what drizzle's D1 batch asks of an item
 * (drizzle-orm/d1/session.js `batch`: `_prepare()`, `getQuery()`, `stmt`, `mapResult`). Awaited
 * alone, it runs by itself and gives the same rows.
 */
function boundStatement(db: Db, sql: string, params: unknown[]): BatchItem<"sqlite"> & PromiseLike<unknown[]> {
  const stmt = db.$client.prepare(sql);
  const item = {
    stmt,
    _prepare: () => item,
    getQuery: () => ({ sql, params }),
    mapResult: (result: D1Result) => result.results,
    // biome-ignore lint/suspicious/noThenProperty: awaitable, as drizzle's own queries are.
    then: <A, B = never>(resolve?: (rows: unknown[]) => A, reject?: (err: unknown) => B) =>
      stmt
        .bind(...params)
        .all()
        .then((r) => r.results)
        .then(resolve, reject),
  };
  return item as unknown as BatchItem<"sqlite"> & PromiseLike<unknown[]>;
}
