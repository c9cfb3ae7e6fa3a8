import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { AttributeType } from "../schemas/custom-attribute";
import type { Db } from "./client";
import { abortWith } from "./failures";
import { prebuilt } from "./prebuilt";
import { customAttributes } from "./schema";

export type AttributeRow = typeof customAttributes.$inferSelect;

/** A definition as every route returns it (docs/api.md#custom-attributes), in its field order. */
export function toDefinition(row: AttributeRow) {
  return {
    id: row.id,
    organizationId: row.organizationId,
    name: row.name,
    displayName: row.displayName,
    description: row.description,
    type: row.type,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    deletedAt: row.deletedAt,
  };
}
export type Definition = ReturnType<typeof toDefinition>;

const live = (organizationId: string) =>
  and(eq(customAttributes.organizationId, organizationId), isNull(customAttributes.deletedAt));
const liveById = (organizationId: string, id: string) => and(live(organizationId), eq(customAttributes.id, id));

/**
 * Inserts unless the organization has a live definition of that name. The partial unique index
 * decides inside SQLite, so of two concurrent creates exactly one wins.
 * @returns whether the row was written.
 */
export async function insertDefinitionIfNameFree(db: Db, row: AttributeRow): Promise<boolean> {
  const written = await db
    .insert(customAttributes)
    .values(row)
    .onConflictDoNothing()
    .returning({ id: customAttributes.id });
  return written.length === 1;
}

export async function findLiveIdByName(db: Db, organizationId: string, name: string): Promise<string | undefined> {
  const row = await db
    .select({ id: customAttributes.id })
    .from(customAttributes)
    .where(and(live(organizationId), eq(customAttributes.name, name)))
    .get();
  return row?.id;
}

/** Live definitions, oldest first (ids are UUIDv7, so id order is creation order). */
export function listLiveDefinitions(db: Db, organizationId: string): Promise<AttributeRow[]> {
  return db.select().from(customAttributes).where(live(organizationId)).orderBy(asc(customAttributes.id)).all();
}

export function findLiveDefinition(db: Db, organizationId: string, id: string): Promise<AttributeRow | undefined> {
  return db.select().from(customAttributes).where(liveById(organizationId, id)).get();
}

/** One statement; `undefined` when no live definition of the organization has that id. */
export async function updateDescription(
  db: Db,
  organizationId: string,
  id: string,
  description: string | null,
  now: string,
): Promise<AttributeRow | undefined> {
  const [row] = await db
    .update(customAttributes)
    .set({ description, updatedAt: now })
    .where(liveById(organizationId, id))
    .returning();
  return row;
}

/** Soft delete: the row stays, its name is free again. `undefined` when nothing live had that id. */
export async function softDeleteDefinition(
  db: Db,
  organizationId: string,
  id: string,
  now: string,
): Promise<AttributeRow | undefined> {
  const [row] = await db
    .update(customAttributes)
    .set({ deletedAt: now, updatedAt: now })
    .where(liveById(organizationId, id))
    .returning();
  return row;
}

/**
 * name → type of every live definition: the D1 read that typed validation of customAttributes
 * costs (on a cold isolate cache). Served by the partial unique index on (organization_id, name).
 */
export async function liveAttributeTypes(db: Db, organizationId: string): Promise<Map<string, AttributeType>> {
  const rows = await db
    .select({ name: customAttributes.name, type: customAttributes.type })
    .from(customAttributes)
    .where(live(organizationId))
    .all();
  return new Map(rows.map((r) => [r.name, r.type]));
}

/**
 * A statement that fails, and so rolls back the batch it is part of, unless the organization's
 * live definitions are exactly `types` (name → type): a write validated against definitions
 * that another request has since created or deleted commits nothing. Equal counts of live
 * definitions and of live definitions matching `types` mean equal sets (live names are unique).
 * The failing expression depends on the row (a bad JSON path built from the count), so SQLite
 * evaluates it only when the sets differ; it is one scan of the organization's definitions,
 * inside the write's own round trip.
 */
export function abortIfDefinitionsChanged(db: Db, organizationId: string, types: ReadonlyMap<string, AttributeType>) {
  return definitionsGuard(db, {
    organizationId,
    expected: JSON.stringify(Object.fromEntries(types)),
    size: types.size,
  });
}
const definitionsGuard = prebuilt(["organizationId", "expected", "size"], (db, { organizationId, expected, size }) =>
  db
    .select({ abort: abortWith("definitions-changed", sql`live`) })
    .from(
      sql`(SELECT count(*) AS live, count(e.key) AS same FROM ${customAttributes}
        LEFT JOIN json_each(${expected}) AS e ON e.key = ${customAttributes.name} AND e.value = ${customAttributes.type}
        WHERE ${customAttributes.organizationId} = ${organizationId} AND ${customAttributes.deletedAt} IS NULL)`,
    )
    .where(sql`live != ${size} OR same != ${size}`),
);
