/**
 * Stand-ins for the Worker's bindings, to run the built Worker in Node: a KV that knows every key
 * (as an admin's), rate limiters that allow, a D1 that fails (so a request ends with `503` after its
 * validation), queues that accept, and the static assets given. Used by H′ (./first-request.ts, in a
 * child Node process that imports this file as it is: type annotations only, which Node strips) and
 * by scripts/test/worker-build.test.ts.
 */
export const STAND_IN_KEY = `cek_${"a".repeat(32)}`;

export function standInEnv(assets: { fetch(url: string): Promise<Response> }): Record<string, unknown> {
  const record = {
    keyId: "k",
    organizationId: "o",
    name: "bench",
    role: "admin",
    createdAt: "2026-01-01T00:00:00.000Z",
    expiresAt: null,
    disabled: false,
  };
  const fail = () => Promise.reject(new Error("D1 stand-in"));
  const statement: Record<string, unknown> = { bind: () => statement, all: fail, run: fail, raw: fail, first: fail };
  const db: Record<string, unknown> = {
    prepare: () => statement,
    batch: fail,
    withSession: () => db,
    getBookmark: () => null,
  };
  const allow = { limit: async () => ({ success: true }) };
  const queue = { send: async () => {}, sendBatch: async () => {} };
  return {
    API_KEYS: {
      get: async (k: string) => (k.startsWith("apikey:") ? record : null),
      put: async () => {},
      getWithMetadata: async () => ({ value: null, metadata: null }),
    },
    ASSETS: assets,
    DB: db,
    RATE_LIMITER: allow,
    IP_RATE_LIMITER: allow,
    EVENTS: queue,
    IMPORTS: queue,
    RATE_LIMIT_REQUESTS: "600",
    RATE_LIMIT_PERIOD_SECONDS: "60",
    RATE_LIMIT_IP_REQUESTS: "300",
    RATE_LIMIT_IP_PERIOD_SECONDS: "60",
  };
}
