// No zod here: the D1 schema imports these, and must not build zod schemas before
// @hono/zod-openapi has extended zod (zod 4 gives each schema its methods when it is made).

/** The file import (docs/import.md). */
export const IMPORT_LIMITS = {
  bytes: 50 * 1024 * 1024,
  rows: 500_000,
  previewRows: 100,
  /** An unexecuted session is gone this long after its upload. */
  uploadTtlMs: 30 * 60_000,
  /** An executed session (its failed rows) stays readable this long after it finished. */
  executedTtlMs: 24 * 60 * 60_000,
} as const;

export const IMPORT_STATUSES = ["uploaded", "validated", "executing", "executed", "failed"] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
/** What validation found: `valid` rows create contacts, `existing` ones update one. */
export const IMPORT_ROW_STATUSES = ["valid", "invalid", "existing"] as const;
export type ImportRowStatus = (typeof IMPORT_ROW_STATUSES)[number];
/** What execution did with a valid or existing row. */
export const IMPORT_OUTCOMES = ["imported", "failed"] as const;
