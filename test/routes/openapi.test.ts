import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "../../src/openapi/document";
import { api, createTenant } from "../helpers";

describe("GET /openapi.json", () => {
  it("serves the built document, with this origin as its server, without a key", async () => {
    const res = await api("/openapi.json");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
    const body = await res.json();
    expect(body).toEqual({
      ...buildOpenApiDocument(),
      servers: [{ url: "http://localhost", description: "This server" }],
    });
  });
});

describe("the description of the API", () => {
  it("is the same for every caller, with or without a key: it holds no organization's data", async () => {
    const [a, b] = [await createTenant(), await createTenant()];
    const bodies = await Promise.all(
      [undefined, a.key, b.key].flatMap((key) => [api("/openapi.json", { key }), api("/docs", { key })]),
    );
    const texts = await Promise.all(bodies.map((r) => r.text()));
    expect(new Set(texts.filter((_, i) => i % 2 === 0)).size).toBe(1);
    expect(new Set(texts.filter((_, i) => i % 2 === 1)).size).toBe(1);
    for (const text of texts) expect(text).not.toContain(a.organizationId);
  });
});

describe("GET /docs", () => {
  it("is one HTML page listing every operation, with nothing to fetch from elsewhere", async () => {
    const res = await api("/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
    expect(res.headers.get("Content-Security-Policy")).toMatch(/default-src 'none'/);
    const html = await res.text();
    for (const [path, item] of Object.entries(buildOpenApiDocument().paths)) {
      for (const method of Object.keys(item)) {
        expect(html, `${method} ${path}`).toContain(`data-operation="${method.toUpperCase()} ${path}"`);
      }
    }
    expect(html).not.toMatch(/<script|<link rel="stylesheet"|@import|url\(/i);
    // Links and sources stay on this origin (fragments, root-relative paths, or data: URLs).
    for (const [, url] of html.matchAll(/(?:href|src)="([^"]*)"/g)) expect(url).toMatch(/^(#|\/(?!\/)|data:)/);
  });

  it("escapes what it renders", async () => {
    const html = await (await api("/docs")).text();
    expect(html).toContain("&lt;key&gt;");
    expect(html).not.toContain("<key>");
  });
});
