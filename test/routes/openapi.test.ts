import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "../../src/openapi/document";
import { api } from "../helpers";

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
