import { drizzle } from "drizzle-orm/d1";

export type Db = ReturnType<typeof drizzle>;

// Without `schema`, drizzle builds no relational-query config (unused here), so a wrapper is cheap
// enough to make per request around a D1 session; one per binding is still kept for the rest.
const instances = new WeakMap<D1Database | D1DatabaseSession, Db>();

/** drizzle over a D1 binding or a D1 session (`withSession`), built once per object. */
export function getDb(d1: D1Database | D1DatabaseSession): Db {
  let db = instances.get(d1);
  if (!db) {
    // drizzle's D1 driver only calls prepare() and batch(), which a session has too.
    db = drizzle(d1 as D1Database);
    instances.set(d1, db);
  }
  return db;
}
