import { describe, expect, it } from "vitest";
import { doc } from "../conformance";
import { api, createTenant } from "../helpers";

describe("GET /openapi.json", () => {
  it("serves the document generated from the routes, without a key", async () => {
    const res = await api("/openapi.json");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(await res.json()).toEqual(doc);
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
  it("is Swagger UI on this origin: every script and style from here, none inline, nothing else allowed", async () => {
    const res = await api("/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
    const csp = res.headers.get("Content-Security-Policy") ?? "";
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toMatch(/connect-src 'self'/);
    const html = await res.text();
    expect(html).toContain('src="/docs/swagger-ui-bundle.js"');
    expect(html).toContain('src="/docs/init.js"');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/);
    for (const [, url] of html.matchAll(/(?:href|src)="([^"]*)"/g)) expect(url).toMatch(/^(\/(?!\/)|data:)/);
  });
});
