import { and, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "./client";
import { webhookSources } from "./schema";

export type WebhookSourceRow = typeof webhookSources.$inferSelect;

/**
 * A source as the API shows it: never its token (only its hash is stored) nor its secret.
 */
export function toWebhookSource(row: WebhookSourceRow) {
  return {
    id: row.id,
    organizationId: row.organizationId,
    name: row.name,
    provider: row.provider,
    hasSecret: row.secret !== null,
    fieldMap: JSON.parse(row.fieldMap) as Record<string, string>,
    defaultCountry: row.defaultCountry,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    revokedAt: row.revokedAt,
    droppedPayloads: row.droppedPayloads,
  };
}
export type WebhookSource = ReturnType<typeof toWebhookSource>;

export async function insertWebhookSource(db: Db, row: WebhookSourceRow): Promise<void> {
  await db.insert(webhookSources).values(row);
}

/** Every source of the organization, revoked ones too (their delivery logs stay readable), newest first. */
export function listWebhookSources(db: Db, organizationId: string): Promise<WebhookSourceRow[]> {
  return db
    .select()
    .from(webhookSources)
    .where(eq(webhookSources.organizationId, organizationId))
    .orderBy(desc(webhookSources.createdAt), desc(webhookSources.id));
}

export function findWebhookSource(db: Db, organizationId: string, id: string): Promise<WebhookSourceRow | undefined> {
  return db
    .select()
    .from(webhookSources)
    .where(and(eq(webhookSources.organizationId, organizationId), eq(webhookSources.id, id)))
    .get();
}

/** Revokes a live source of the organization; undefined when there is none to revoke. */
export async function revokeWebhookSource(
  db: Db,
  organizationId: string,
  id: string,
  now: string,
): Promise<WebhookSourceRow | undefined> {
  const [row] = await db
    .update(webhookSources)
    .set({ revokedAt: now, updatedAt: now })
    .where(
      and(
        eq(webhookSources.organizationId, organizationId),
        eq(webhookSources.id, id),
        isNull(webhookSources.revokedAt),
      ),
    )
    .returning();
  return row;
}

/** The live source behind a token hash. */
export function findLiveSourceByTokenHash(db: Db, tokenHash: string): Promise<WebhookSourceRow | undefined> {
  return db
    .select()
    .from(webhookSources)
    .where(and(eq(webhookSources.tokenHash, tokenHash), isNull(webhookSources.revokedAt)))
    .get();
}
