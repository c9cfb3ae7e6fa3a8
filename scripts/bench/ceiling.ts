import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { getTableColumns } from "drizzle-orm";
import { contacts } from "../../src/db/schema";
import { uuidv7 } from "../../src/lib/ids";
import type { contactInput, updatedInput } from "./bodies";
import type { CeilingJob, CeilingResult } from "./sqlite-ceiling";

const ROOT = path.resolve(import.meta.dirname, "../..");
const COLUMNS = Object.entries(getTableColumns(contacts)).map(([key, column]) => ({ key, name: column.name }));

/** The row the worker stores for a create input (as `newContactRow` builds it), as column values. */
function rowOf(organizationId: string, input: ReturnType<typeof contactInput>, at: number): unknown[] {
  const iso = new Date(at).toISOString();
  const row: Record<string, unknown> = {
    ...input,
    id: uuidv7(at),
    organizationId,
    channels: "[]",
    customAttributes: JSON.stringify(input.customAttributes),
    createdAt: iso,
    updatedAt: iso,
  };
  return COLUMNS.map(({ key }) => row[key] ?? null);
}

/** The stored row after the update input was merged into it. */
function updatedRowOf(row: unknown[], input: ReturnType<typeof updatedInput>, at: number): unknown[] {
  const next = [...row];
  const set = (key: string, value: unknown) => {
    next[COLUMNS.findIndex((c) => c.key === key)] = value;
  };
  const before = JSON.parse(row[COLUMNS.findIndex((c) => c.key === "customAttributes")] as string);
  set("city", input.city);
  set("customAttributes", JSON.stringify({ ...before, ...input.customAttributes }));
  set("updatedAt", new Date(at).toISOString());
  return next;
}

export interface Ceiling extends CeilingResult {
  node: string;
}

/**
 * Scenario E for the batches of scenario C: the same inputs as rows, inserted and then updated by
 * SQLite directly, each batch in one transaction.
 */
export function sqliteCeiling(
  organizationId: string,
  newBatches: ReturnType<typeof contactInput>[][],
  updateBatches: ReturnType<typeof updatedInput>[][],
): Ceiling {
  let at = Date.now();
  const inserts = newBatches.map((batch) => batch.map((input) => rowOf(organizationId, input, at++)));
  const updates = inserts.map((rows, b) =>
    rows.map((row, i) => updatedRowOf(row, updateBatches[b]?.[i] as ReturnType<typeof updatedInput>, at++)),
  );
  const job: CeilingJob = {
    migrationsDir: path.join(ROOT, "migrations"),
    columns: COLUMNS.map((c) => c.name),
    inserts,
    updates,
  };
  const dir = mkdtempSync(path.join(tmpdir(), "bench-job-"));
  try {
    const file = path.join(dir, "job.json");
    writeFileSync(file, JSON.stringify(job));
    const out = execFileSync(
      process.execPath,
      ["--no-warnings", "--import", "tsx", path.join(ROOT, "scripts/bench/sqlite-ceiling.ts"), file],
      { cwd: ROOT, encoding: "utf8", maxBuffer: 16 * 1024 * 1024 },
    );
    return { ...(JSON.parse(out) as CeilingResult), node: process.execPath };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
