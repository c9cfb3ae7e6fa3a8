// drizzle-orm's relations module in the Worker bundle (ALIASES of scripts/build-worker.ts, keyed by the specifiers
// its index.js, d1/driver.js and sqlite-core/dialect.js import it with), and its relational query
// builder (./drizzle-relational-query.ts). They serve `db.query.<table>.findMany(…)`, which exists
// only when a schema is passed to `drizzle()`: src/db/client.ts passes none, and every query is
// built with the SQL-like builders. The real module also pulls Postgres table classes in. Every
// export here throws if it is ever called: a relational query in the Worker would fail loudly, not
// silently. Tests and Node scripts use drizzle-orm as published.

const noRelationalQueries = (): never => {
  throw new Error("drizzle's relational queries are left out of the Worker bundle (src/bundle/drizzle-relations.ts)");
};

export class Relation {
  constructor() {
    noRelationalQueries();
  }
}
export class Relations extends Relation {}
export class One extends Relation {}
export class Many extends Relation {}

export const relations = noRelationalQueries;
export const createOne = noRelationalQueries;
export const createMany = noRelationalQueries;
export const createTableRelationsHelpers = noRelationalQueries;
export const extractTablesRelationalConfig = noRelationalQueries;
export const normalizeRelation = noRelationalQueries;
export const getOperators = noRelationalQueries;
export const getOrderByOperators = noRelationalQueries;
export const mapRelationalRow = noRelationalQueries;
