/**
 * Scenario E, run in a child process: SQLite's own ceiling for the rows of scenario C, inserted
 * into the same schema (the migrations' SQL, search triggers included) in one transaction per
 * batch, with no network, no runtime and no ORM in between.
 *
 * Forked with an IPC channel (./ceiling.ts) and given a job file: it prepares the database, then
 * times one batch per message (`{ insert: b }` or `{ update: b }`, answered `{ ms }`), so that the
 * bench can run each batch of E right after the same batch of C, on the machine as C found it;
 * `{ done: true }` is answered with the engine and closes it.
 *
 * It runs on Node's own `node:sqlite` (Node 22.5 and later: npm scripts run on the Node.js that
 * `npm install` put in node_modules), so no native addon has to match the Node.js that installed it.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";

export interface CeilingJob {
  migrationsDir: string;
  columns: string[];
  /** Fresh rows: each batch is inserted in one transaction. */
  inserts: unknown[][][];
  /** The same rows changed: each batch is written back in one transaction (INSERT … ON CONFLICT DO UPDATE). */
  updates: unknown[][][];
}

export interface CeilingResult {
  engine: string;
  sqliteVersion: string;
  /** Milliseconds per batch, in order. */
  insertMs: number[];
  updateMs: number[];
  batchSize: number;
}

/** What the parent sends: time one batch, or finish. */
export type CeilingMessage = { insert: number } | { update: number } | { done: true };

interface Db {
  exec(sql: string): void;
  prepare(sql: string): { run(...params: unknown[]): unknown; get(...params: unknown[]): unknown };
  close(): void;
}

function open(file: string): Db {
  const { DatabaseSync } = createRequire(import.meta.url)("node:sqlite") as { DatabaseSync: new (file: string) => Db };
  return new DatabaseSync(file);
}

function timeBatch(db: Db, statement: ReturnType<Db["prepare"]>, rows: unknown[][]): number {
  const started = process.hrtime.bigint();
  db.exec("BEGIN");
  for (const row of rows) statement.run(...row);
  db.exec("COMMIT");
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** The schema and the organization in a fresh database; then each message times its batch. */
function serve(job: CeilingJob): void {
  const dir = mkdtempSync(path.join(tmpdir(), "bench-sqlite-"));
  const db = open(path.join(dir, "db.sqlite"));
  // Local D1 (workerd's SQLite) keeps a write-ahead log too.
  db.exec("PRAGMA journal_mode = WAL");
  for (const file of readdirSync(job.migrationsDir)
    .filter((f) => f.endsWith(".sql"))
    .sort()) {
    for (const statement of readFileSync(path.join(job.migrationsDir, file), "utf8").split(
      "--> statement-breakpoint",
    )) {
      if (statement.trim()) db.exec(statement);
    }
  }
  const organizationId = (job.inserts[0]?.[0]?.[job.columns.indexOf("organization_id")] as string) ?? "bench";
  db.prepare("INSERT INTO organizations (id, name, created_at) VALUES (?, 'Bench', '2026-01-01T00:00:00.000Z')").run(
    organizationId,
  );
  const names = job.columns.map((c) => `"${c}"`).join(", ");
  const marks = job.columns.map(() => "?").join(", ");
  const updates = job.columns
    .filter((c) => !["id", "organization_id", "created_at", "deleted_at"].includes(c))
    .map((c) => `"${c}" = excluded."${c}"`)
    .join(", ");
  const insert = db.prepare(`INSERT INTO contacts (${names}) VALUES (${marks})`);
  const update = db.prepare(
    `INSERT INTO contacts (${names}) VALUES (${marks}) ON CONFLICT (id) DO UPDATE SET ${updates}`,
  );
  const { v: sqliteVersion } = db.prepare("SELECT sqlite_version() AS v").get() as { v: string };
  const close = () => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  };
  // The parent gone without a `done` (the bench stopped): nothing is left behind.
  process.once("disconnect", close);
  const send = (message: unknown) => (process.send as (m: unknown) => boolean)(message);
  process.on("message", (message: CeilingMessage) => {
    if ("insert" in message) send({ ms: timeBatch(db, insert, job.inserts[message.insert] ?? []) });
    else if ("update" in message) send({ ms: timeBatch(db, update, job.updates[message.update] ?? []) });
    else {
      process.off("disconnect", close);
      close();
      send({ engine: "node:sqlite", sqliteVersion, batchSize: job.inserts[0]?.length ?? 0 });
      process.disconnect();
    }
  });
  send({ ready: true });
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  serve(JSON.parse(readFileSync(process.argv[2] as string, "utf8")) as CeilingJob);
}
