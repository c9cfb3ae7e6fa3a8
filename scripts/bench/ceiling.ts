import { fork } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { getTableColumns } from "drizzle-orm";
import { contacts } from "../../src/db/schema";
import { uuidv7 } from "../../src/lib/ids";
import type { contactInput, updatedInput } from "./bodies";
import type { CeilingJob, CeilingMessage, CeilingResult } from "./sqlite-ceiling";

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

/** Scenario E, batch by batch: each call times one batch of C's rows in SQLite directly. */
export interface CeilingRun {
  insert(batch: number): Promise<void>;
  update(batch: number): Promise<void>;
  /** Closes the child; the batches timed so far. */
  finish(): Promise<Ceiling>;
}

/**
 * Scenario E for the batches of scenario C: the same inputs as rows, inserted and then updated by
 * SQLite directly, each batch in one transaction, in a child process (./sqlite-ceiling.ts) that
 * stays up between batches, so that E's batch `b` can run right after C's.
 */
export async function startCeiling(
  organizationId: string,
  newBatches: ReturnType<typeof contactInput>[][],
  updateBatches: ReturnType<typeof updatedInput>[][],
): Promise<CeilingRun> {
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
  const file = path.join(dir, "job.json");
  writeFileSync(file, JSON.stringify(job));
  const child = fork(path.join(ROOT, "scripts/bench/sqlite-ceiling.ts"), [file], {
    cwd: ROOT,
    execArgv: ["--no-warnings", "--import", "tsx"],
  });
  // One message at a time: each answer is the reply to the message just sent.
  const reply = <T>(message?: CeilingMessage) =>
    new Promise<T>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the SQLite ceiling's process ended (${code})`));
      child.once("exit", onExit);
      child.once("message", (answer) => {
        child.off("exit", onExit);
        resolve(answer as T);
      });
      if (message) child.send(message);
    });
  try {
    await reply();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const insertMs: number[] = [];
  const updateMs: number[] = [];
  return {
    insert: async (batch) => {
      insertMs.push((await reply<{ ms: number }>({ insert: batch })).ms);
    },
    update: async (batch) => {
      updateMs.push((await reply<{ ms: number }>({ update: batch })).ms);
    },
    finish: async () => {
      const engine = await reply<Omit<CeilingResult, "insertMs" | "updateMs">>({ done: true });
      return { ...engine, insertMs, updateMs, node: process.execPath };
    },
  };
}
