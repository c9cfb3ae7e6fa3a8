import { gzipSync } from "node:zlib";
import { categoryOf } from "./startup";

/** One group of the bundle's bytes: a package, a folder of our own code, or what no source owns. */
export interface CompositionGroup {
  name: string;
  bytes: number;
  /** The group's byte ranges concatenated in bundle order, then gzipped on their own. */
  gzipBytes: number;
}

/** What F's bundle is made of, by gzip (the unit of the 130 KB target). */
export interface Composition {
  groups: CompositionGroup[];
  /** Every dependency package's ranges gzipped together: what the bundle could not go below with none of our code. */
  dependencies: CompositionGroup;
  /** The same plus the phone metadata (a dependency's data, kept in src/lib for its trimmed form). */
  dependenciesAndMetadata: CompositionGroup;
  /** All of src/ (the metadata included) gzipped together. */
  own: CompositionGroup;
}

/** The phone metadata: ours in the tree, a dependency's data in substance (scripts/phone-metadata.ts). */
const METADATA = "src/lib/phone-metadata.json";
const UNMAPPED = "(no source: esbuild's wrappers and helpers)";

/** The group of a source from the map: a package by name, our code by `src/<folder>`, the metadata on its own. */
export function groupOf(source: string): string {
  const category = categoryOf(source);
  if (!category.startsWith("src/")) return category;
  if (category === METADATA) return METADATA;
  const parts = category.split("/");
  return parts.length > 2 ? parts.slice(0, 2).join("/") : category;
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DIGIT = new Map([...BASE64].map((c, i) => [c, i]));

/** The segments of a source map's `mappings`, per generated line: [column, source index or -1]. */
function decodeMappings(mappings: string): [number, number][][] {
  const lines: [number, number][][] = [];
  let source = 0;
  for (const line of mappings.split(";")) {
    const segments: [number, number][] = [];
    let column = 0;
    for (const segment of line.split(",")) {
      if (!segment) continue;
      const fields: number[] = [];
      let value = 0;
      let shift = 0;
      for (const c of segment) {
        const digit = DIGIT.get(c);
        if (digit === undefined) throw new Error(`bad base64 VLQ digit ${c}`);
        value += (digit & 31) << shift;
        if (digit & 32) {
          shift += 5;
        } else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      column += fields[0] ?? 0;
      if (fields.length >= 4) source += fields[1] ?? 0;
      segments.push([column, fields.length >= 4 ? source : -1]);
    }
    lines.push(segments);
  }
  return lines;
}

/**
 * Attributes every character of each module's minified `code` to the source of the mapping it
 * follows (each mapping owns the characters up to the next one), groups the sources (`groupOf`), and
 * gzips each group's characters concatenated in module order. A group's gzip is what it would weigh alone:
 * the groups' sum exceeds the whole bundle's gzip, since compression shares across groups.
 */
export function composition(modules: { code: string; map: { sources: string[]; mappings: string } }[]): Composition {
  const parts = new Map<string, string[]>();
  const add = (group: string, text: string) => {
    if (!text) return;
    const list = parts.get(group);
    if (list) list.push(text);
    else parts.set(group, [text]);
  };
  for (const { code, map } of modules) {
    const lines = code.split("\n");
    const decoded = decodeMappings(map.mappings);
    lines.forEach((line, i) => {
      const segments = decoded[i] ?? [];
      let at = 0;
      let owner = UNMAPPED;
      for (const [column, source] of segments) {
        add(owner, line.slice(at, column));
        at = column;
        owner = source >= 0 ? groupOf(map.sources[source] ?? "") : UNMAPPED;
      }
      add(owner, `${line.slice(at)}${i < lines.length - 1 ? "\n" : ""}`);
    });
  }
  const measure = (name: string, texts: string[]): CompositionGroup => {
    const buffer = Buffer.from(texts.join(""));
    return { name, bytes: buffer.length, gzipBytes: gzipSync(buffer).length };
  };
  const groups = [...parts].map(([name, texts]) => measure(name, texts)).sort((a, b) => b.gzipBytes - a.gzipBytes);
  // Concatenated group by group: a group's own repetitions compress as they would in the bundle.
  const textsOf = (keep: (name: string) => boolean) => [...parts].filter(([name]) => keep(name)).flatMap(([, t]) => t);
  const isDependency = (name: string) => !name.startsWith("src/") && name !== UNMAPPED;
  return {
    groups,
    dependencies: measure("dependencies alone", textsOf(isDependency)),
    dependenciesAndMetadata: measure(
      "dependencies and the phone metadata",
      textsOf((name) => isDependency(name) || name === METADATA),
    ),
    own: measure(
      "src/ (ours)",
      textsOf((name) => name.startsWith("src/")),
    ),
  };
}
