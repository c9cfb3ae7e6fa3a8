import { expect, it } from "vitest";
import { CONTRACT_EXAMPLE, api, createTenant } from "../helpers";

it("creates the contract example", async () => {
  const t = await createTenant();
  const res = await api("/api/contact", { method: "POST", key: t.key, json: CONTRACT_EXAMPLE });
  const body = await res.json();
  console.log(res.status, JSON.stringify(body), [...res.headers]);
  expect(res.status).toBe(201);
});
