// drizzle-orm's "../pg-core/columns/enum.js" in the Worker bundle (ALIASES of scripts/build-worker.ts, keyed by the
// specifier drizzle's sql/sql.js imports it with): that file asks `isPgEnum(value)` of every value it
// embeds in a query, which pulls Postgres column classes into a SQLite-only Worker (1.2 KB gzip). No
// value here is a Postgres enum. Tests and Node scripts use drizzle-orm as published.
export const isPgEnum = (_value: unknown): boolean => false;
