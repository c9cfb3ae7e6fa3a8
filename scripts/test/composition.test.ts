import assert from "node:assert/strict";
import { test } from "node:test";
import { composition } from "../bench/composition";

test("composition gives each character to the mapping it follows, grouped by package and src/ folder", () => {
  // Line 1: columns 0–3 from the package, 4–7 from src/lib/b.ts; line 2: column 0–1 unmapped, then the package again.
  // "AAAA": column 0, source 0. "ICAA": column +4, source +1. "EDAA": column 2 (columns restart on each line), source 1 − 1 = 0.
  const map = {
    sources: ["../node_modules/pkg/a.js", "../src/lib/b.ts"],
    mappings: "AAAA,ICAA;EDAA",
  };
  // A second module: its characters count in the same groups.
  const c = composition([
    { code: "aaaabbbb\n__aa", map },
    { code: "cc", map: { sources: ["../src/lib/c.ts"], mappings: "AAAA" } },
  ]);
  const byName = new Map(c.groups.map((g) => [g.name, g.bytes]));
  assert.deepEqual(Object.fromEntries(byName), {
    pkg: 6,
    "src/lib": 7, // with the first line's newline, and the second module's two
    "(no source: esbuild's wrappers and helpers)": 2,
  });
  assert.equal(c.dependencies.bytes, 6);
  assert.equal(c.own.bytes, 7);
});
