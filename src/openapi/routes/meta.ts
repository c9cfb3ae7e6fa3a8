import { healthSchema, openApiDocumentSchema } from "../../schemas/responses";
import { defineRoutes } from "../registry";

export const metaDocs = defineRoutes([
  {
    method: "get",
    path: "/health",
    operationId: "getHealth",
    tag: "Meta",
    summary: "Liveness",
    description: "Touches no storage: answers as long as the worker runs.",
    responses: { 200: { description: "The worker is up.", schema: healthSchema, example: { status: "ok" } } },
  },
  {
    method: "get",
    path: "/openapi.json",
    operationId: "getOpenApiDocument",
    tag: "Meta",
    summary: "This document",
    description: "The OpenAPI 3.1 description of this API, generated from the schemas that validate requests.",
    responses: { 200: { description: "An OpenAPI 3.1 document.", schema: openApiDocumentSchema } },
  },
  {
    method: "get",
    path: "/docs",
    operationId: "getDocs",
    tag: "Meta",
    summary: "API reference (HTML)",
    description: "This document as a web page, served by the worker itself.",
    responses: { 200: { description: "The reference page.", contentType: "text/html" } },
  },
]);
