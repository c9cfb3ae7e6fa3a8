// Two modules of zod in the Worker bundle (ALIASES of scripts/build-worker.ts, keyed by the specifiers zod's
// classic/schemas.js imports them with): the JSON Schema generator. zod's classic schemas reference
// it for `.toJSONSchema()` and Standard Schema's `jsonSchema`, which the Worker never calls: the
// OpenAPI document is generated at build time (see ./zod-to-openapi.ts). Leaving it out keeps ~7 KB
// gzip out of the Worker. Validation never reads it. Tests and Node scripts use zod as published.
//
// If zod renames these modules, the alias stops matching and the bundle simply grows again (row F of
// `npm run bench` shows it); it cannot change what is validated.

const builtAtBuildTime = (): never => {
  throw new Error("JSON Schema is generated at build time, not in the Worker");
};

// Read by lazily computed properties of number and string schemas (`minLength`, `format`, …).
export { aggregateChecks } from "../../node_modules/zod/v4/core/json-schema-processors.js";

export const toJSONSchema = builtAtBuildTime;
export const createToJSONSchemaMethod = () => builtAtBuildTime;
export const createStandardJSONSchemaMethod = () => builtAtBuildTime;

export const anyProcessor = builtAtBuildTime;
export const arrayProcessor = builtAtBuildTime;
export const bigintProcessor = builtAtBuildTime;
export const booleanProcessor = builtAtBuildTime;
export const catchProcessor = builtAtBuildTime;
export const customProcessor = builtAtBuildTime;
export const dateProcessor = builtAtBuildTime;
export const defaultProcessor = builtAtBuildTime;
export const enumProcessor = builtAtBuildTime;
export const fileProcessor = builtAtBuildTime;
export const functionProcessor = builtAtBuildTime;
export const intersectionProcessor = builtAtBuildTime;
export const lazyProcessor = builtAtBuildTime;
export const literalProcessor = builtAtBuildTime;
export const mapProcessor = builtAtBuildTime;
export const nanProcessor = builtAtBuildTime;
export const neverProcessor = builtAtBuildTime;
export const nonoptionalProcessor = builtAtBuildTime;
export const nullProcessor = builtAtBuildTime;
export const nullableProcessor = builtAtBuildTime;
export const numberProcessor = builtAtBuildTime;
export const objectProcessor = builtAtBuildTime;
export const optionalProcessor = builtAtBuildTime;
export const pipeProcessor = builtAtBuildTime;
export const prefaultProcessor = builtAtBuildTime;
export const promiseProcessor = builtAtBuildTime;
export const readonlyProcessor = builtAtBuildTime;
export const recordProcessor = builtAtBuildTime;
export const setProcessor = builtAtBuildTime;
export const stringProcessor = builtAtBuildTime;
export const successProcessor = builtAtBuildTime;
export const symbolProcessor = builtAtBuildTime;
export const templateLiteralProcessor = builtAtBuildTime;
export const transformProcessor = builtAtBuildTime;
export const tupleProcessor = builtAtBuildTime;
export const undefinedProcessor = builtAtBuildTime;
export const unionProcessor = builtAtBuildTime;
export const unknownProcessor = builtAtBuildTime;
export const voidProcessor = builtAtBuildTime;
