import { type ClientRequestOptions, hc } from "hono/client";
import type { App } from "./app";

/** The type of the whole API, for `hc<AppType>()` from `hono/client`. */
export type AppType = App;

/** The contact object (docs/api.md#the-contact-object). */
export type { Contact } from "./db/contacts";

/**
 * A typed client of the API: paths, methods, request bodies and answers are checked by TypeScript.
 * Not part of the worker bundle.
 *
 * @example
 * const client = createClient("http://localhost:8787", key);
 * const res = await client.api.contact.$post({ json: { primaryPhone: "+212612345678" } });
 * if (res.status === 201) console.log((await res.json()).id);
 */
export function createClient(baseUrl: string, apiKey: string, options: Omit<ClientRequestOptions, "headers"> = {}) {
  return hc<AppType>(baseUrl, { ...options, headers: { "X-API-Key": apiKey } });
}
