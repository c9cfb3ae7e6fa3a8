/**
 * A D1 binding that records the SQL of every statement prepared through it, so a test can count
 * what a request really sent to D1 (drizzle prepares each statement, in batches too).
 */
export function countingD1(d1: D1Database): { db: D1Database; statements: string[]; readsOf(table: string): number } {
  const statements: string[] = [];
  const db = new Proxy(d1, {
    get(target, prop) {
      if (prop === "prepare") {
        return (sql: string) => {
          statements.push(sql);
          return target.prepare(sql);
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return {
    db,
    statements,
    readsOf: (table) => statements.filter((sql) => /^\s*select\b/i.test(sql) && sql.includes(`"${table}"`)).length,
  };
}
