import { describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import { groupOf, ROUTE_GROUPS } from "../src/worker";
import { api } from "./helpers";

/** A path that a route pattern matches: each parameter replaced by a value of its shape. */
const concrete = (pattern: string) =>
  pattern.replace(/:[^/]+/g, "0190f2a8-1234-7abc-8def-0123456789ab").replace(/\/\*$/, "/x");

const served = (routes: { method: string; path: string }[]) =>
  routes.filter((r) => r.method !== "ALL").map((r) => `${r.method} ${r.path}`);

describe("the deployed Worker's routers, loaded on first use (src/worker.ts)", () => {
  it("serve every route of createApp(), each from the group its path falls under, and nothing else", async () => {
    const all = served(createApp().routes);
    const found: string[] = [];
    for (const route of createApp().routes.filter((r) => r.method !== "ALL")) {
      const load = ROUTE_GROUPS[groupOf(concrete(route.path))];
      expect(load, `${route.method} ${route.path}: no group of src/worker.ts serves it`).toBeDefined();
      const router = await (load as () => Promise<{ routes: { method: string; path: string }[] }>)();
      expect(served(router.routes)).toContain(`${route.method} ${route.path}`);
    }
    for (const load of new Set(Object.values(ROUTE_GROUPS))) found.push(...served((await load()).routes));
    expect(new Set(found)).toEqual(new Set(all));
  });

  it("groups a path by /api/<resource>, or by its first segment outside /api", () => {
    expect(groupOf("/api/contact")).toBe("/api/contact");
    expect(groupOf("/api/contact/upsert")).toBe("/api/contact");
    expect(groupOf("/api/contact/0190f2a8-1234-7abc-8def-0123456789ab")).toBe("/api/contact");
    expect(groupOf("/api/webhook-endpoints/x/deliveries/y/retry")).toBe("/api/webhook-endpoints");
    expect(groupOf("/hooks/abc")).toBe("/hooks");
    expect(groupOf("/health")).toBe("/health");
    expect(groupOf("/")).toBe("/");
  });

  it("answers a path of no group as createApp() does: 401 under /api without a key, else 404", async () => {
    expect((await api("/api/nothing-here")).status).toBe(401);
    expect((await api("/nothing-here")).status).toBe(404);
    expect((await api("/api/contactx")).status).toBe(401);
  });
});
