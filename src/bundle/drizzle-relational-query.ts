// drizzle-orm's sqlite-core/query-builders/query.js in the Worker bundle (ALIASES of scripts/build-worker.ts,
// keyed by the specifier sqlite-core/db.js imports it with): the builder of `db.query.<table>`,
// which drizzle creates only for a schema passed to `drizzle()`, and src/db/client.ts passes none.
// See ./drizzle-relations.ts. Tests and Node scripts use drizzle-orm as published.

export class RelationalQueryBuilder {
  constructor() {
    throw new Error(
      "drizzle's relational queries are left out of the Worker bundle (src/bundle/drizzle-relational-query.ts)",
    );
  }
}
export class SQLiteRelationalQuery extends RelationalQueryBuilder {}
export class SQLiteSyncRelationalQuery extends SQLiteRelationalQuery {}
