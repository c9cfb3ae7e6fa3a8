import type { OpenApiDocument } from "./document";
import type { JsonSchema } from "./json-schema";
import type { OperationObject as Operation } from "./types";

// The API reference as one self-contained HTML page, rendered on the server from the OpenAPI
// document: no script, no font, no request to anyone but this worker (its CSP forbids the rest).

type Doc = Pick<OpenApiDocument, "info" | "servers" | "tags" | "paths" | "components">;

const esc = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch] as string,
  );

/** Enough Markdown for our own descriptions: paragraphs, `code` and **bold**. */
const md = (text = "") =>
  text
    .split(/\n{2,}/)
    .map(
      (p) =>
        `<p>${esc(p)
          .replace(/`([^`]+)`/g, "<code>$1</code>")
          .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")}</p>`,
    )
    .join("");

const schemaName = (r: string) => r.replace("#/components/schemas/", "");
const link = (name: string) => `<a href="#schema-${esc(name)}">${esc(name)}</a>`;
const json = (value: unknown) => `<pre><code>${esc(JSON.stringify(value, null, 2))}</code></pre>`;

function typeOf(s: JsonSchema): string {
  if (typeof s.$ref === "string") return link(schemaName(s.$ref));
  if ("const" in s) return `<code>${esc(JSON.stringify(s.const))}</code>`;
  if (Array.isArray(s.enum)) return s.enum.map((v) => `<code>${esc(JSON.stringify(v))}</code>`).join(" | ");
  if (Array.isArray(s.anyOf)) return (s.anyOf as JsonSchema[]).map(typeOf).join(" | ");
  if (Array.isArray(s.allOf)) {
    // The builder's error responses: the envelope, narrowed to the route's codes.
    const [base, narrowed] = s.allOf as JsonSchema[];
    const code = (narrowed?.properties as Record<string, JsonSchema> | undefined)?.code;
    return `${typeOf(base ?? {})}${code ? ` with <code>code</code> ${typeOf(code)}` : ""}`;
  }
  if (s.type === "array") return `array of ${grouped((s.items as JsonSchema) ?? {})}`;
  if (s.type === "object" && s.additionalProperties && typeof s.additionalProperties === "object") {
    return `map of ${grouped(s.additionalProperties as JsonSchema)}`;
  }
  if (typeof s.type === "string") return s.format ? `${s.type} (${esc(String(s.format))})` : esc(s.type);
  return "any";
}

/** A union inside `array of …` or `map of …` is bracketed, so that it reads unambiguously. */
function grouped(s: JsonSchema): string {
  const label = typeOf(s);
  return label.includes(" | ") ? `(${label})` : label;
}

const range = (min: number | undefined, max: number | undefined, unit: string) =>
  min !== undefined && max !== undefined
    ? `${min}–${max} ${unit}`
    : min !== undefined
      ? `≥ ${min} ${unit}`
      : max !== undefined
        ? `≤ ${max} ${unit}`
        : undefined;

function rulesOf(s: JsonSchema): string[] {
  const branch = Array.isArray(s.anyOf) ? ((s.anyOf as JsonSchema[]).find((b) => b.type !== "null") ?? s) : s;
  const rules: string[] = [];
  const n = (k: string) => (typeof branch[k] === "number" ? (branch[k] as number) : undefined);
  const chars = range(n("minLength"), n("maxLength"), "chars");
  const items = range(n("minItems"), n("maxItems"), "items");
  const maximum = n("maximum");
  const value = range(
    n("minimum"),
    maximum !== undefined && maximum < Number.MAX_SAFE_INTEGER ? maximum : undefined,
    "",
  );
  for (const rule of [chars, items, value?.trim()]) if (rule) rules.push(rule);
  if (typeof branch.pattern === "string" && !branch.format) rules.push(`matches <code>${esc(branch.pattern)}</code>`);
  const keys = branch.propertyNames as JsonSchema | undefined;
  if (typeof keys?.pattern === "string") rules.push(`keys match <code>${esc(keys.pattern)}</code>`);
  return rules;
}

/** The rows of an object schema's table; nested objects are flattened to dotted names. */
function rows(s: JsonSchema, prefix = ""): string {
  const properties = (s.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((s.required as string[] | undefined) ?? []);
  return Object.entries(properties)
    .map(([name, p]) => {
      const nested = p.type === "object" && p.properties ? rows(p, `${prefix}${name}.`) : "";
      const rules = rulesOf(p);
      return `<tr><td><code>${esc(prefix + name)}</code>${required.has(name) ? ' <span class="req">required</span>' : ""}</td><td>${typeOf(p)}</td><td>${md(typeof p.description === "string" ? p.description : "")}${rules.length ? `<p class="rules">${rules.join(" · ")}</p>` : ""}</td></tr>${nested}`;
    })
    .join("");
}

function schemaBlock(s: JsonSchema, doc: Doc): string {
  const target = typeof s.$ref === "string" ? doc.components.schemas[schemaName(s.$ref)] : s;
  const head = typeof s.$ref === "string" ? `<p class="schema-ref">Schema: ${typeOf(s)}</p>` : "";
  if (target?.type === "object" && target.properties) {
    return `${head}<table class="fields"><thead><tr><th>field</th><th>type</th><th>description</th></tr></thead><tbody>${rows(target)}</tbody></table>`;
  }
  return head || `<p class="schema-ref">Schema: ${typeOf(s)}</p>`;
}

function curl(method: string, path: string, op: Operation, base: string): string {
  const lines = [`curl -i${method === "get" ? "" : ` -X ${method.toUpperCase()}`} '${base}${path}'`];
  if (op.security.length > 0) lines.push(`-H "X-API-Key: $KEY"`);
  const body = op.requestBody?.content["application/json"];
  const first = body?.examples ? Object.values(body.examples)[0]?.value : undefined;
  if (first !== undefined) {
    lines.push(`-H "Content-Type: application/json"`);
    lines.push(`-d '${JSON.stringify(first).replace(/'/g, "'\\''")}'`);
  }
  return `<pre class="curl"><code>${esc(lines.join(" \\\n  "))}</code></pre>`;
}

function operationBlock(method: string, path: string, op: Operation, doc: Doc): string {
  const params = op.parameters ?? [];
  const body = op.requestBody?.content["application/json"];
  const responses = Object.entries(op.responses)
    .map(([status, r]) => {
      const [type, media] = Object.entries(r.content ?? {})[0] ?? [];
      const examples = media?.examples
        ? Object.values(media.examples)
            .map((e) => `<details><summary>Example: ${esc(e.summary)}</summary>${json(e.value)}</details>`)
            .join("")
        : media?.example !== undefined
          ? `<details><summary>Example</summary>${json(media.example)}</details>`
          : "";
      const headers = Object.entries(r.headers ?? {})
        .filter(([name]) => name !== "X-Request-Id")
        .map(([name, h]) => `<li><code>${esc(name)}</code>: ${md(String(h.description ?? ""))}</li>`)
        .join("");
      return `<details class="response" ${status.startsWith("2") ? "open" : ""}><summary><span class="status s${status[0]}">${esc(status)}</span> ${md(r.description)}</summary><div class="response-body">${type ? `<p class="media">${esc(type)}</p>` : ""}${headers ? `<ul class="headers">${headers}</ul>` : ""}${media?.schema && type?.endsWith("json") ? schemaBlock(media.schema, doc) : ""}${examples}</div></details>`;
    })
    .join("");
  return `<article class="op" id="op-${esc(op.operationId)}" data-operation="${method.toUpperCase()} ${esc(path)}">
<h3><span class="method ${method}">${method.toUpperCase()}</span> <code class="path">${esc(path)}</code></h3>
<p class="summary">${esc(op.summary)}</p>${md(op.description)}
<p class="auth">${op.security.length > 0 ? `<span class="badge">API key</span> <code>X-API-Key: &lt;key&gt;</code> or <code>Authorization: Bearer &lt;key&gt;</code>` : `<span class="badge open">Public</span> no API key needed`}</p>
${params.length ? `<h4>Parameters</h4><table class="fields"><thead><tr><th>name</th><th>in</th><th>type</th><th>description</th></tr></thead><tbody>${params.map((p) => `<tr><td><code>${esc(p.name)}</code>${p.required ? ' <span class="req">required</span>' : ""}</td><td>${esc(p.in)}</td><td>${typeOf(p.schema)}</td><td>${md(p.description)}${rulesOf(p.schema).join(" · ")}</td></tr>`).join("")}</tbody></table>` : ""}
${
  body
    ? `<h4>Request body</h4>${md(op.requestBody?.description)}${schemaBlock(body.schema, doc)}${Object.values(
        body.examples ?? {},
      )
        .map((e) => `<details><summary>Example: ${esc(e.summary)}</summary>${json(e.value)}</details>`)
        .join("")}`
    : ""
}
<h4>Example</h4>${curl(method, path, op, doc.servers[0]?.url ?? "")}
<h4>Responses</h4>${responses}
</article>`;
}

const CSS = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2430;background:#f7f8fa}
a{color:#2457c5;text-decoration:none}a:hover{text-decoration:underline}
code{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#eef1f6;padding:1px 4px;border-radius:4px}
pre{background:#1e2430;color:#e6e9ef;padding:12px 14px;border-radius:8px;overflow:auto;margin:8px 0}
pre code{background:none;color:inherit;padding:0}
nav{position:fixed;top:0;left:0;bottom:0;width:340px;overflow:auto;background:#fff;border-right:1px solid #e3e6ec;padding:20px 18px}
nav h1{font-size:19px;margin:0 0 2px}nav .version{color:#6b7385;font-size:13px}
nav h2{font-size:12px;text-transform:uppercase;letter-spacing:.06em;color:#6b7385;margin:20px 0 6px}
nav ul{list-style:none;margin:0;padding:0}nav li{margin:2px 0}
nav li a{display:flex;gap:8px;align-items:center;color:#1f2430;padding:3px 6px;border-radius:6px;font-size:13px;white-space:nowrap}
nav li a span.p{overflow:hidden;text-overflow:ellipsis}
nav .method{min-width:52px;font-size:10.5px;padding:4px 5px}
nav li a:hover{background:#f0f3f8;text-decoration:none}
main{margin-left:340px;padding:28px 40px 80px;max-width:1120px}
header.intro{background:#fff;border:1px solid #e3e6ec;border-radius:12px;padding:8px 24px 14px;margin-bottom:28px}
section>h2{font-size:24px;margin:36px 0 4px}
.op{background:#fff;border:1px solid #e3e6ec;border-radius:12px;padding:6px 24px 18px;margin:18px 0}
.op h3{font-size:18px;margin:14px 0 4px;display:flex;align-items:center;gap:10px}
.op h3 .path{font-size:16px;background:none;padding:0}
.op h4{margin:18px 0 6px;font-size:14px;text-transform:uppercase;letter-spacing:.05em;color:#4a5263}
.summary{font-weight:600;margin:4px 0}
.method{display:inline-block;min-width:58px;text-align:center;font:700 11.5px/1 ui-monospace,Menlo,monospace;color:#fff;border-radius:5px;padding:5px 6px}
.get{background:#1f8a4c}.post{background:#2457c5}.put{background:#b26b00}.patch{background:#8a4fc7}.delete{background:#c0392b}
.auth{font-size:13.5px;color:#4a5263}
.badge{display:inline-block;font-size:11px;font-weight:700;text-transform:uppercase;letter-spacing:.04em;padding:3px 7px;border-radius:5px;background:#fff4d6;color:#7a5200;margin-right:4px}
.badge.open{background:#e6f0ff;color:#24497a}
table.fields{border-collapse:collapse;width:100%;font-size:13.5px;margin:6px 0}
table.fields th{text-align:left;font-weight:600;color:#4a5263;border-bottom:2px solid #e3e6ec;padding:6px 8px}
table.fields td{border-bottom:1px solid #eef0f4;padding:6px 8px;vertical-align:top}
table.fields td p{margin:0 0 2px}
.rules{color:#6b7385;font-size:12.5px}
.req{color:#c0392b;font-size:11px;font-weight:600}
details{margin:6px 0}summary{cursor:pointer}
details.response{border:1px solid #eef0f4;border-radius:8px;padding:6px 10px}
details.response>summary p{display:inline;margin:0}
.response-body{padding:4px 0 0 4px}
.status{display:inline-block;font:700 12px/1 ui-monospace,Menlo,monospace;padding:4px 7px;border-radius:5px;margin-right:6px}
.s2{background:#dff3e6;color:#1f6b3c}.s4{background:#fdecd8;color:#8a4b00}.s5{background:#fbe0de;color:#93261b}
.media,.schema-ref{color:#6b7385;font-size:13px;margin:4px 0}
ul.headers{margin:4px 0;padding-left:18px;font-size:13.5px}ul.headers p{display:inline;margin:0}
@media (max-width:860px){nav{position:static;width:auto;border-right:0}main{margin:0;padding:16px}}
`;

/**
 * The reference page for a document (`GET /docs`).
 *
 * @example renderDocsPage(buildOpenApiDocument({ serverUrl: "http://localhost:8787" }))
 */
export function renderDocsPage(doc: Doc): string {
  const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ path, method, op })),
  );
  const byTag = doc.tags.map((tag) => ({ tag, ops: operations.filter((o) => o.op.tags[0] === tag.name) }));
  const navOps = byTag
    .map(
      ({ tag, ops }) =>
        `<h2>${esc(tag.name)}</h2><ul>${ops.map(({ path, method, op }) => `<li><a href="#op-${esc(op.operationId)}" title="${method.toUpperCase()} ${esc(path)}"><span class="method ${method}">${method.toUpperCase()}</span><span class="p">${esc(path)}</span></a></li>`).join("")}</ul>`,
    )
    .join("");
  const names = Object.keys(doc.components.schemas);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(doc.info.title)} API reference</title><link rel="icon" href="data:,"><style>${CSS}</style></head><body>
<nav><h1>${esc(doc.info.title)}</h1><div class="version">API ${esc(doc.info.version)} · <a href="/openapi.json">openapi.json</a></div>${navOps}
<h2>Schemas</h2><ul>${names.map((n) => `<li><a href="#schema-${esc(n)}">${esc(n)}</a></li>`).join("")}</ul></nav>
<main><header class="intro"><h1>${esc(doc.info.title)} API reference</h1>${md(doc.info.description)}
<p>Base URL: <code>${esc(doc.servers[0]?.url ?? "")}</code>. Machine-readable: <a href="/openapi.json"><code>/openapi.json</code></a> (OpenAPI 3.1; import it into Postman or Insomnia).</p></header>
${byTag.map(({ tag, ops }) => `<section id="tag-${esc(tag.name)}"><h2>${esc(tag.name)}</h2>${md(tag.description)}${ops.map(({ path, method, op }) => operationBlock(method, path, op, doc)).join("")}</section>`).join("")}
<section id="schemas"><h2>Schemas</h2>${names.map((n) => `<article class="op" id="schema-${esc(n)}"><h3>${esc(n)}</h3>${schemaBlock(doc.components.schemas[n] as JsonSchema, doc)}</article>`).join("")}</section>
</main></body></html>`;
}
