import "../../lib/docs";
import * as z from "zod";
import { ApiError } from "../../lib/errors";
import { ifMatch } from "../../middleware/if-match";
import { idParamSchema } from "../../schemas/common";
import { EXAMPLE_TIME, REFERENCE_CONTACT } from "../../schemas/examples";
import { contactDeletedSchema, contactErasedSchema } from "../../schemas/responses";
import { deleteContact, eraseContact } from "../../services/contacts";
import { type AppRouteHandler, defineRoute } from "../define-route";

export const route = defineRoute(
  {
    method: "delete",
    path: "/api/contact/{id}",
    ...(DOCS && {
      operationId: "deleteContact",
      tags: ["Contacts"],
      summary: "Delete a contact (soft), or erase it",
      description:
        "The row stays with `deletedAt`; the contact vanishes from every route and its phone is free again. " +
        "With `erase=true` (admin keys only), the contact, live or already deleted, is erased instead: its row and " +
        "every stored copy of its data (idempotency replays holding it, inbound delivery log entries linked to it).",
    }),
    middleware: [ifMatch()] as const,
    request: {
      params: idParamSchema,
      query: z.strictObject({
        erase: z
          .enum(["true", "false"])
          .optional()
          .meta({ description: "`true`: erase instead of soft delete (admin keys only)." }),
      }),
    },
    responses: {
      200: {
        description: "Deleted (`deleted`), or erased (`erased`).",
        content: {
          "application/json": {
            schema: z.union([contactDeletedSchema, contactErasedSchema]),
            examples: {
              deleted: {
                summary: "Soft delete",
                value: { id: REFERENCE_CONTACT.id, deleted: true, deletedAt: EXAMPLE_TIME },
              },
              erased: { summary: "erase=true", value: { id: REFERENCE_CONTACT.id, erased: true } },
            },
          },
        },
      },
    },
  },
  { 403: ["FORBIDDEN"], 404: ["NOT_FOUND"] },
);

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const db = c.get("db");
  const { organizationId, role } = c.get("auth");
  const { id } = c.req.valid("param");
  const emit = c.get("outbox").emitter(organizationId);
  if (c.req.valid("query").erase !== "true") {
    return c.json(await deleteContact(db, organizationId, id, c.get("ifMatch"), emit), 200);
  }
  if (role !== "admin") throw new ApiError("FORBIDDEN", { message: "Erasure needs a key with role admin" });
  return c.json(await eraseContact(db, organizationId, id, c.get("ifMatch"), emit), 200);
};
