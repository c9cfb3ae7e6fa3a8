import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getDb } from "../../src/db/client";
import { abortIfDefinitionsChanged } from "../../src/db/custom-attributes";
import { classifyD1Failure } from "../../src/db/failures";
import { organizations } from "../../src/db/schema";
import { uuidv7 } from "../../src/lib/ids";
import type { AttributeType } from "../../src/schemas/custom-attribute";
import { createTenant, insertDefinition } from "../helpers";

const db = getDb(env.DB);

async function seed(organizationId: string, rows: [string, AttributeType, "live" | "deleted"][]) {
  for (const [name, type, state] of rows) {
    await insertDefinition(organizationId, name, type, state === "deleted" ? new Date().toISOString() : null);
  }
}

/** Runs the guard in a batch with a marker write, as a real write would: "kept" or the abort. */
async function outcome(organizationId: string, expected: Record<string, AttributeType>) {
  const marker = uuidv7();
  try {
    await db.batch([
      abortIfDefinitionsChanged(db, organizationId, new Map(Object.entries(expected))),
      db.insert(organizations).values({ id: marker, name: "marker", createdAt: "2026-01-01" }),
    ]);
  } catch (err) {
    expect(classifyD1Failure(err)).toEqual({ kind: "guard", guard: "definitions-changed" });
    const left = await env.DB.prepare("SELECT count(*) AS n FROM organizations WHERE id = ?").bind(marker).first("n");
    expect(left).toBe(0);
    return "aborted";
  }
  return "kept";
}

describe("abortIfDefinitionsChanged", () => {
  it("keeps the batch exactly when the live definitions are the expected ones", async () => {
    const { organizationId } = await createTenant();
    const other = await createTenant();
    await seed(organizationId, [
      ["age", "number", "live"],
      ["site", "url", "live"],
      ["old", "text", "deleted"],
    ]);
    // Another organization's definitions and deleted ones do not count.
    await seed(other.organizationId, [["extra", "text", "live"]]);
    expect(await outcome(organizationId, { age: "number", site: "url" })).toBe("kept");
    expect(await outcome(other.organizationId, { extra: "text" })).toBe("kept");

    expect(await outcome(organizationId, { age: "number" })).toBe("aborted"); // one created since
    expect(await outcome(organizationId, { age: "number", site: "url", old: "text" })).toBe("aborted"); // one deleted since
    expect(await outcome(organizationId, { age: "text", site: "url" })).toBe("aborted"); // same name, another type
    expect(await outcome(organizationId, { age: "number", web: "url" })).toBe("aborted"); // same count, another name
    expect(await outcome(organizationId, {})).toBe("aborted");
  });

  it("keeps the batch for an organization with no definitions that expected none", async () => {
    const { organizationId } = await createTenant();
    expect(await outcome(organizationId, {})).toBe("kept");
    await seed(organizationId, [["age", "number", "deleted"]]);
    expect(await outcome(organizationId, {})).toBe("kept");
  });
});
