// `DOCS`: whether the API's documentation (route summaries and descriptions, the error answers of each
// operation, examples) is built. True everywhere but in the deployed Worker's bundle, where
// wrangler.toml's [define] replaces it with `false` as each file is parsed: esbuild then drops
// `DOCS && { … }` and the code after `if (!DOCS) return`, and whatever only they referenced. The
// Worker's document is generated at build time (public/openapi.json); its validation never reads the
// text. A module that reads `DOCS` imports this one first (`import "../lib/docs"`), which defines it
// for tests and Node scripts.

declare global {
  var DOCS: boolean;
}

globalThis.DOCS ??= true;

export {};
