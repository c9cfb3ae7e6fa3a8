/**
 * Row G: a generated CSV of `rows` contacts imported end to end through the API (docs/import.md):
 * upload → validate → execute → the session `executed`, as a user's client would drive it, with
 * the time of each step and the CPU the server spent.
 */
import { phoneRange } from "./bodies";
import type { Missing } from "./report";
import type { Server } from "./server";

export interface ImportRun {
  rows: number;
  bytes: number;
  uploadSeconds: number;
  validateSeconds: number;
  executeSeconds: number;
  totalSeconds: number;
  rowsPerSecond: number;
  /** workerd CPU (all processes) per 1000 rows, the whole import. */
  cpuMsPer1000: number;
}

const NAMES = ["Marie,Curie", "Ada,Lovelace", "Alan,Turing", "Grace,Hopper", "Omar,Haddad", "Sofia,Rossi"];

/** The CSV: a header, then one new contact a row (phone, names, e-mail, city, an attribute). */
export function importCsv(rows: number): string {
  const phone = phoneRange("+3365");
  const lines = ["phone,first_name,last_name,email,city,age"];
  for (let i = 0; i < rows; i++) {
    lines.push(`${phone()},${NAMES[i % NAMES.length]},person.${i}@example.com,Paris,${20 + (i % 50)}`);
  }
  return `${lines.join("\n")}\n`;
}

const MAPPINGS = ["primaryPhone", "firstName", "lastName", "primaryEmail", "city", "customAttributes.age"].map(
  (field, column) => ({ column, field }),
);

export async function importScenario(server: Server, key: string, rows: number): Promise<ImportRun | Missing> {
  const csv = importCsv(rows);
  const headers = { "x-api-key": key };
  const cpu0 = server.cpu();
  const t0 = performance.now();
  const form = new FormData();
  form.set("hasHeaderRow", "true");
  form.set("file", new Blob([csv], { type: "text/csv" }), "bench.csv");
  const up = await fetch(`${server.url}/api/contact/ingestion/upload`, { method: "POST", headers, body: form });
  if (up.status === 404 || up.status === 405) return { missing: "n/a (route missing)" };
  if (up.status !== 201) throw new Error(`upload answered ${up.status}: ${await up.text()}`);
  const { sessionId } = (await up.json()) as { sessionId: string };
  const t1 = performance.now();

  const json = { ...headers, "content-type": "application/json" };
  const validated = await fetch(`${server.url}/api/contact/ingestion/validate`, {
    method: "POST",
    headers: json,
    body: JSON.stringify({ sessionId, columnMappings: MAPPINGS }),
  });
  const counts = (await validated.json()) as { validRows?: number };
  if (validated.status !== 200 || counts.validRows !== rows) {
    throw new Error(`validate answered ${validated.status}: ${JSON.stringify(counts)}`);
  }
  const t2 = performance.now();

  const executed = await fetch(`${server.url}/api/contact/ingestion/execute`, {
    method: "POST",
    headers: json,
    body: JSON.stringify({ sessionId }),
  });
  if (executed.status !== 202) throw new Error(`execute answered ${executed.status}: ${await executed.text()}`);
  for (;;) {
    const res = await fetch(`${server.url}/api/contact/ingestion/${sessionId}`, { headers });
    const session = (await res.json()) as { status: string; created: number; failed: number };
    if (session.status === "executed") {
      if (session.created !== rows || session.failed !== 0) throw new Error(`import ended: ${JSON.stringify(session)}`);
      break;
    }
    if (session.status !== "executing") throw new Error(`import ended: ${JSON.stringify(session)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const t3 = performance.now();
  const cpu1 = server.cpu();
  const totalSeconds = (t3 - t0) / 1000;
  return {
    rows,
    bytes: csv.length,
    uploadSeconds: (t1 - t0) / 1000,
    validateSeconds: (t2 - t1) / 1000,
    executeSeconds: (t3 - t2) / 1000,
    totalSeconds,
    rowsPerSecond: rows / totalSeconds,
    cpuMsPer1000: ((cpu1.workerd - cpu0.workerd) * 1000 * 1000) / rows,
  };
}
