/**
 * Scenario E, run in a child process: SQLite's own ceiling for the rows of scenario C, inserted
 * into the same schema (the migrations' SQL, search triggers included) in one transaction per
 * batch, with no network, no runtime and no ORM in between.
 *
 *   node --import tsx scripts/bench/sqlite-ceiling.ts <job.json>   → one line of JSON
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

interface Db {
  exec(sql: string): void;
  prepare(sql: string): { run(...params: unknown[]): unknown; get(...params: unknown[]): unknown };
  close(): void;
}

function open(file: string): Db {
  const { DatabaseSync } = createRequire(import.meta.url)("node:sqlite") as { DatabaseSync: new (file: string) => Db };
  return new DatabaseSync(file);
}

function timeBatches(db: Db, sql: string, batches: unknown[][][]): number[] {
  const statement = db.prepare(sql);
  return batches.map((rows) => {
    const started = process.hrtime.bigint();
    db.exec("BEGIN");
    for (const row of rows) statement.run(...row);
    db.exec("COMMIT");
    return Number(process.hrtime.bigint() - started) / 1e6;
  });
}

function run(job: CeilingJob): CeilingResult {
  const dir = mkdtempSync(path.join(tmpdir(), "bench-sqlite-"));
  try {
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
    const insertMs = timeBatches(db, `INSERT INTO contacts (${names}) VALUES (${marks})`, job.inserts);
    const updateMs = timeBatches(
      db,
      `INSERT INTO contacts (${names}) VALUES (${marks}) ON CONFLICT (id) DO UPDATE SET ${updates}`,
      job.updates,
    );
    const { v } = db.prepare("SELECT sqlite_version() AS v").get() as { v: string };
    db.close();
    return { engine: "node:sqlite", sqliteVersion: v, insertMs, updateMs, batchSize: job.inserts[0]?.length ?? 0 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  const job = JSON.parse(readFileSync(process.argv[2] as string, "utf8")) as CeilingJob;
  process.stdout.write(`${JSON.stringify(run(job))}\n`);
}
