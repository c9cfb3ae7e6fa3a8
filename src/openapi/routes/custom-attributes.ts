import * as z from "zod";
import { idParamSchema } from "../../schemas/common";
import { attributeCreateSchema, attributeUpdateSchema } from "../../schemas/custom-attribute";
import {
  customAttributeDeletedSchema,
  customAttributeListSchema,
  customAttributeSchema,
} from "../../schemas/responses";
import { EXAMPLE_ORGANIZATION_ID, EXAMPLE_TIME } from "../examples";
import { defineRoutes } from "../registry";

const ID = "0192f4e7-0a1b-7c2d-8e3f-405162738495";
const definition = {
  id: ID,
  organizationId: EXAMPLE_ORGANIZATION_ID,
  name: "customer_age",
  displayName: "Customer Age",
  description: "Age in years",
  type: "number",
  createdAt: EXAMPLE_TIME,
  updatedAt: EXAMPLE_TIME,
  deletedAt: null,
};
const limit = 8 * 1024;

export const customAttributeDocs = defineRoutes([
  {
    method: "get",
    path: "/api/custom-attributes",
    operationId: "listCustomAttributes",
    tag: "Custom attributes",
    summary: "List the definitions",
    description: "The organization's live definitions, oldest first, as a bare array. No query parameters.",
    query: z.strictObject({}),
    responses: { 200: { description: "The definitions.", schema: customAttributeListSchema, example: [definition] } },
  },
  {
    method: "post",
    path: "/api/custom-attributes",
    operationId: "createCustomAttribute",
    tag: "Custom attributes",
    summary: "Define a custom attribute",
    description:
      "`name` is the slug of `displayName` (`Customer Age` → `customer_age`): the key to use in `customAttributes`. " +
      "From now on, a value under that key must be of `type`. A name live in the organization answers " +
      "`409 ATTRIBUTE_EXISTS` with `existingId`.",
    body: {
      schema: attributeCreateSchema,
      limit,
      examples: {
        number: {
          summary: "A number attribute",
          value: { displayName: "Customer Age", type: "number", description: "Age in years" },
        },
      },
    },
    responses: {
      201: {
        description: "Created: the definition.",
        schema: customAttributeSchema,
        example: definition,
        headers: { Location: { description: "`/api/custom-attributes/<id>`.", required: true } },
      },
    },
    errors: { 409: ["ATTRIBUTE_EXISTS"] },
  },
  {
    method: "get",
    path: "/api/custom-attributes/:id",
    operationId: "getCustomAttribute",
    tag: "Custom attributes",
    summary: "Read a definition",
    params: idParamSchema,
    responses: { 200: { description: "The definition.", schema: customAttributeSchema, example: definition } },
    errors: { 404: ["NOT_FOUND"] },
  },
  ...(["put", "patch"] as const).map((method) => ({
    method,
    path: "/api/custom-attributes/:id",
    operationId: `${method === "put" ? "update" : "patch"}CustomAttribute`,
    tag: "Custom attributes" as const,
    summary: `Change a definition's description${method === "patch" ? " (same as PUT)" : ""}`,
    description:
      "`description` is the only field that changes (`null` or blank clears it); sending `name`, `displayName` or " +
      "`type` is `400` (`immutableField`): delete the attribute and define it again instead.",
    params: idParamSchema,
    body: {
      schema: attributeUpdateSchema,
      limit,
      examples: { describe: { summary: "A new description", value: { description: "Age in whole years" } } },
    },
    responses: {
      200: {
        description: "The definition.",
        schema: customAttributeSchema,
        example: { ...definition, description: "Age in whole years" },
      },
    },
    errors: { 404: ["NOT_FOUND" as const] },
  })),
  {
    method: "delete",
    path: "/api/custom-attributes/:id",
    operationId: "deleteCustomAttribute",
    tag: "Custom attributes",
    summary: "Delete a definition (soft)",
    description: "Values already on contacts stay as they are, and the name is free to define again.",
    params: idParamSchema,
    responses: {
      200: {
        description: "Deleted.",
        schema: customAttributeDeletedSchema,
        example: { id: ID, deleted: true, deletedAt: EXAMPLE_TIME },
      },
    },
    errors: { 404: ["NOT_FOUND"] },
  },
]);
