/**
 * Structured JSON lines. Callers pass ids, routes, statuses and error names: never personal
 * data, never an error message (drizzle's carry SQL and bound values).
 */
export function log(level: "info" | "warn" | "error", fields: Record<string, unknown>): void {
  const line = JSON.stringify({ level, ...fields });
  if (level === "error") console.error(line);
  else console.log(line);
}
