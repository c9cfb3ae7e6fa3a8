import type { JsonSchema } from "./json-schema";

// The part of OpenAPI 3.1 that the builder writes and the docs page reads.

export interface MediaTypeObject {
  schema: JsonSchema;
  example?: unknown;
  examples?: Record<string, { summary: string; value: unknown }>;
}

export interface ResponseObject {
  description: string;
  headers?: Record<string, JsonSchema>;
  content?: Record<string, MediaTypeObject>;
}

export interface ParameterObject {
  name: string;
  in: "path" | "query" | "header";
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

export interface OperationObject {
  operationId: string;
  tags: string[];
  summary: string;
  description?: string;
  security: Record<string, string[]>[];
  "x-roles"?: string[];
  parameters?: ParameterObject[];
  requestBody?: { required: true; description: string; content: Record<string, MediaTypeObject> };
  responses: Record<string, ResponseObject>;
}
