import type { ImportSession } from "../../schemas/import";

export const EXAMPLE_SESSION_ID = "0192f4e6-7b1a-7c3e-9a4f-2d8b6c1e5f40";
const EXPIRES_AT = "2026-01-01T00:30:00.000Z";

export const UPLOAD_EXAMPLE = {
  sessionId: EXAMPLE_SESSION_ID,
  fileName: "contacts.csv",
  totalRows: 3,
  columnCount: 4,
  columns: [
    { index: 0, name: "phone" },
    { index: 1, name: "first_name" },
    { index: 2, name: "last_name" },
    { index: 3, name: "age" },
  ],
  previewRows: [{ "0": "+33612345678", "1": "Marie", "2": "Curie", "3": "31" }],
  status: "uploaded" as const,
  expiresAt: EXPIRES_AT,
};

export const SESSION_EXAMPLE: ImportSession = {
  sessionId: EXAMPLE_SESSION_ID,
  status: "executing",
  fileName: "contacts.csv",
  totalRows: 3,
  processedRows: 1,
  created: 0,
  updated: 0,
  failed: 1,
  failedRowsUrl: `https://contacts.example.com/api/contact/ingestion/${EXAMPLE_SESSION_ID}/failed-rows.csv`,
  expiresAt: EXPIRES_AT,
};
