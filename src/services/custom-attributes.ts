import type { Db } from "../db/client";
import { type AttributeRow, findLiveIdByName, insertDefinitionIfNameFree, toDefinition } from "../db/custom-attributes";
import { ApiError, serviceUnavailable } from "../lib/errors";
import { uuidv7 } from "../lib/ids";
import { slugify } from "../lib/slug";
import type { AttributeCreateInput } from "../schemas/custom-attribute";

export function attributeExists(existingId: string): ApiError {
  return new ApiError("ATTRIBUTE_EXISTS", { extra: { existingId } });
}

export function newDefinitionRow(organizationId: string, input: AttributeCreateInput, now = new Date()): AttributeRow {
  const at = now.toISOString();
  return {
    id: uuidv7(now.getTime()),
    organizationId,
    name: slugify(input.displayName),
    displayName: input.displayName,
    description: input.description ?? null,
    type: input.type,
    createdAt: at,
    updatedAt: at,
    deletedAt: null,
  };
}

/** One D1 write; a second read only when the name is taken, to name the existing definition. */
export async function createDefinition(db: Db, organizationId: string, input: AttributeCreateInput) {
  const row = newDefinitionRow(organizationId, input);
  // Two rounds at most: the holder of the name may be deleted between our two statements.
  for (let attempt = 0; attempt < 2; attempt++) {
    if (await insertDefinitionIfNameFree(db, row)) return toDefinition(row);
    const existingId = await findLiveIdByName(db, organizationId, row.name);
    if (existingId) throw attributeExists(existingId);
  }
  throw serviceUnavailable();
}
