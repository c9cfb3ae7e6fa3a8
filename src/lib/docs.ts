// `DOCS`: whether the API's documentation (route summaries, descriptions, tags and operation ids, the
// error answers of each operation) is built. True everywhere but in the deployed Worker, where
// scripts/build-worker.ts defines it `false` as each file is parsed: esbuild then drops each
// `DOCS && { … }` and the untaken branch of each `DOCS ? … : …`. (A module-level constant that only
// such an expression reads stays: esbuild keeps the top-level statements of a module that may have
// side effects.) The Worker's document is generated at build time (public/openapi.json); its validation
// never reads the text. A module that reads `DOCS` imports this one first (`import "../lib/docs"`),
// which defines it for Node scripts; vitest.config.ts defines it for the tests.

declare global {
  var DOCS: boolean;
}

globalThis.DOCS ??= true;

export {};
