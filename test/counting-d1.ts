/**
 * A D1 binding that records the SQL of every statement prepared through it, so a test can count
 * what a request really sent to D1 (drizzle prepares each statement, in batches too).
 */
export function countingD1(d1: D1Database): { db: D1Database; statements: string[]; readsOf(table: string): number } {
  const statements: string[] = [];
  const counting = <T extends D1Database | D1DatabaseSession>(d1: T): T =>
    new Proxy(d1, {
      get(target, prop) {
        // Requests reach D1 through a session: count what goes through those too.
        if (prop === "withSession") {
          return (...args: Parameters<D1Database["withSession"]>) =>
            counting((target as D1Database).withSession(...args));
        }
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
    db: counting(d1),
    statements,
    readsOf: (table) => statements.filter((sql) => /^\s*select\b/i.test(sql) && sql.includes(`"${table}"`)).length,
  };
}
