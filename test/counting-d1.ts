const RUNS = new Set(["all", "run", "first", "raw"]);

/**
 * A D1 binding that records the SQL of every statement prepared through it and counts round
 * trips (a batch, or one statement run alone), so a test can see what a request really sent to
 * D1 (drizzle prepares each statement, in batches too).
 */
export function countingD1(d1: D1Database): {
  db: D1Database;
  statements: string[];
  roundTrips(): number;
  readsOf(table: string): number;
} {
  const statements: string[] = [];
  let roundTrips = 0;
  // A batch hands its statements back to D1 unwrapped: workerd checks their class.
  const originals = new WeakMap<object, D1PreparedStatement>();

  function track(statement: D1PreparedStatement): D1PreparedStatement {
    const wrapped = new Proxy(statement, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target);
        if (prop === "bind") return (...values: unknown[]) => track(target.bind(...values));
        if (typeof prop === "string" && RUNS.has(prop)) {
          return (...args: unknown[]) => {
            roundTrips += 1;
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    originals.set(wrapped, statement);
    return wrapped;
  }

  function counting<T extends D1Database | D1DatabaseSession>(d1: T): T {
    return new Proxy(d1, {
      get(target, prop) {
        // Requests reach D1 through a session: count what goes through those too.
        if (prop === "withSession") {
          return (...args: Parameters<D1Database["withSession"]>) =>
            counting((target as D1Database).withSession(...args));
        }
        if (prop === "prepare") {
          return (sql: string) => {
            statements.push(sql);
            return track(target.prepare(sql));
          };
        }
        if (prop === "batch") {
          return (batch: D1PreparedStatement[]) => {
            roundTrips += 1;
            return target.batch(batch.map((s) => originals.get(s) ?? s));
          };
        }
        const value = Reflect.get(target, prop, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  }

  return {
    db: counting(d1),
    statements,
    roundTrips: () => roundTrips,
    readsOf: (table) => statements.filter((sql) => /^\s*select\b/i.test(sql) && sql.includes(`"${table}"`)).length,
  };
}
