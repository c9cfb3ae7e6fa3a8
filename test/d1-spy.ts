/** Called with the SQL of what is about to reach the database: one statement, or every statement of a batch. */
export type BeforeSend = (sqls: string[]) => void | Promise<void>;

/**
 * A D1 binding that forwards everything to `db`, first awaiting `before` for each round trip.
 * Tests use it to count round trips, or to let "another request" write between two statements
 * of the code under test — the races that a single-node local D1 never produces by itself.
 *
 * @example const db = getDb(spyD1(env.DB, (sqls) => void seen.push(...sqls)))
 */
export function spyD1(db: D1Database | D1DatabaseSession, before: BeforeSend): D1Database {
  const real = new WeakMap<object, D1PreparedStatement>();
  const wrap = (statement: D1PreparedStatement, sql: string): D1PreparedStatement => {
    const send =
      <K extends "all" | "run" | "raw" | "first">(method: K) =>
      async (...args: unknown[]) => {
        await before([sql]);
        return (statement[method] as (...a: unknown[]) => unknown)(...args);
      };
    const wrapper = {
      bind: (...values: unknown[]) => wrap(statement.bind(...values), sql),
      all: send("all"),
      run: send("run"),
      raw: send("raw"),
      first: send("first"),
      sql,
    } as unknown as D1PreparedStatement;
    real.set(wrapper, statement);
    return wrapper;
  };
  return {
    prepare: (sql: string) => wrap(db.prepare(sql), sql),
    batch: async (statements: D1PreparedStatement[]) => {
      await before(statements.map((s) => (s as unknown as { sql: string }).sql));
      return db.batch(statements.map((s) => real.get(s) ?? s));
    },
    // A session made from the spy is spied on too: requests reach D1 through sessions.
    withSession: (...args: Parameters<D1Database["withSession"]>) =>
      spyD1((db as D1Database).withSession(...args), before),
  } as unknown as D1Database;
}
