// The module "@asteasolutions/zod-to-openapi" in the Worker bundle (ALIASES of scripts/build-worker.ts). The
// OpenAPI document is generated at build time (scripts/build-assets.ts writes public/openapi.json,
// which Workers Assets serves before the Worker is reached), so the deployed Worker needs neither
// the generator nor a registry of its routes: this keeps ~8 KB gzip and their start-up work out of
// every isolate. Tests and Node scripts use the real package.

const builtAtBuildTime = () => {
  throw new Error("The OpenAPI document is generated at build time: see public/openapi.json");
};

/** Registers nothing: nothing in the deployed Worker reads the registry. */
export class OpenAPIRegistry {
  readonly definitions: never[] = [];
  registerPath(): void {}
  registerWebhook(): void {}
  registerComponent(): void {}
  register(): void {}
  registerParameter(): void {}
}

export class OpenApiGeneratorV3 {
  generateDocument = builtAtBuildTime;
}
export class OpenApiGeneratorV31 {
  generateDocument = builtAtBuildTime;
}

/** `.openapi()` on schemas is never used here (fields are described with zod's own `.meta()`). */
export const extendZodWithOpenApi = (): void => {};
export const getOpenApiMetadata = () => ({});
