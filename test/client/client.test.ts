import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createClient } from "../../src/client";
import { assertDocumented } from "../conformance";
import { createTenant, freshPhone } from "../helpers";

/** The typed client, talking to the worker under test; each answer is checked against the document too. */
async function clientFor(key: string) {
  return createClient("http://localhost", key, {
    fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      const response = await exports.default.fetch(request.clone());
      await assertDocumented(request, response);
      return response;
    },
  });
}

describe("createClient", () => {
  it("creates a contact and reads the typed answer", async () => {
    const tenant = await createTenant();
    const client = await clientFor(tenant.key);
    const phone = freshPhone();
    const res = await client.api.contact.$post({ json: { primaryPhone: phone, firstName: "Ada" } });
    expect(res.status).toBe(201);
    if (res.status === 201) {
      const contact = await res.json();
      expect(contact.primaryPhone).toBe(phone);
      expect(contact.fullName).toBe("Ada");
    }
    const me = await client.api.me.$get();
    expect((await me.json()).organizationId).toBe(tenant.organizationId);
  });

  it("is checked by TypeScript", async () => {
    const client = await clientFor("cek_unused");
    // Never awaited: these lines exist for tsc, which must reject each.
    const typeErrors = () => [
      // @ts-expect-error primaryPhone is required
      client.api.contact.$post({ json: { firstName: "Ada" } }),
      // @ts-expect-error gender is "male" | "female"
      client.api.contact.$post({ json: { primaryPhone: "+33612345678", gender: "x" } }),
      // @ts-expect-error no such route
      client.api.contacts.$get(),
    ];
    expect(typeof typeErrors).toBe("function");
  });
});
