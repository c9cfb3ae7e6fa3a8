import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { createApp } from "../src/app";
import { assertDocumented } from "./conformance";
import { requestOf, type TestRequestInit } from "./helpers";

/** One app for the whole test file, called with whatever env a test builds. */
const app = createApp();

/** {@link requestOf}, but POST unless told: most requests here are writes. */
export const buildRequest = (path: string, init: TestRequestInit = {}): Request =>
  requestOf(path, { method: "POST", ...init });

/**
 * Runs a request through `createApp().fetch(request, env, ctx)` with the test env, some of whose
 * bindings are replaced: how a failing KV, D1 or rate limiter is put in front of the real code.
 */
export async function fetchWith(overrides: Partial<Env>, request: Request): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await app.fetch(request, { ...env, ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
  await assertDocumented(request, response);
  return response;
}

/** A rate limiter that answers as told and records the keys it was asked about. */
export function fakeRateLimiter(success: boolean | (() => Promise<{ success: boolean }>)) {
  const keys: string[] = [];
  const limiter: RateLimit = {
    limit: async ({ key }) => {
      keys.push(key);
      return typeof success === "boolean" ? { success } : success();
    },
  };
  return { limiter, keys };
}

/**
 * A rate limiter that allows `limit` calls per key, as the binding does within one window, and
 * records the keys it was asked about. Deterministic, unlike a real window that may roll over mid-test.
 */
export function countingRateLimiter(limit: number) {
  const counts = new Map<string, number>();
  const keys: string[] = [];
  const limiter: RateLimit = {
    limit: async ({ key }) => {
      keys.push(key);
      counts.set(key, (counts.get(key) ?? 0) + 1);
      return { success: (counts.get(key) ?? 0) <= limit };
    },
  };
  return { limiter, keys };
}

/** The test KV, counting its reads. */
export function countingKv() {
  const counter = { reads: 0 };
  const kv = new Proxy(env.API_KEYS, {
    get(target, prop) {
      const value = Reflect.get(target, prop);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (prop === "get" || prop === "getWithMetadata") counter.reads++;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { kv, counter };
}

/** A KV namespace whose every call throws, as when KV is unreachable. */
export const unreachableKv = new Proxy(env.API_KEYS, {
  get(target, prop) {
    const value = Reflect.get(target, prop);
    return typeof value === "function"
      ? () => Promise.reject(new Error("KV GET failed: 503 Service Unavailable"))
      : value;
  },
});

export interface D1Faults {
  /** Statements whose SQL matches fail when run, with `error()`. */
  failWhen?: (sql: string) => boolean;
  /** `batch()` fails with `error()`, or waits for `gate` first. */
  failBatch?: boolean;
  gate?: Promise<void>;
  /** Rewrites SQL before the real D1 sees it. */
  rewrite?: (sql: string) => string;
  error?: () => unknown;
}

/** The test D1 with faults in front of it; anything not faulted runs for real. */
export function faultyD1(faults: D1Faults): D1Database {
  return withFaults(env.DB, faults);
}

/** The faults apply to the binding and to every session (`withSession`) made from it. */
function withFaults<T extends D1Database | D1DatabaseSession>(real: T, faults: D1Faults): T {
  const error = faults.error ?? (() => new Error("D1_ERROR: D1 DB is overloaded. Requests queued for too long."));
  const failing = () => Promise.reject(error());
  return new Proxy(real, {
    get(target, prop) {
      if (prop === "withSession") {
        return (...args: Parameters<D1Database["withSession"]>) =>
          withFaults((target as D1Database).withSession(...args), faults);
      }
      if (prop === "prepare") {
        return (sql: string) => {
          const statement = target.prepare(faults.rewrite ? faults.rewrite(sql) : sql);
          if (!faults.failWhen?.(sql)) return statement;
          const failed = { all: failing, raw: failing, run: failing, first: failing };
          return new Proxy(statement, {
            get(s, p) {
              if (p === "bind")
                return () => new Proxy(statement, { get: (_, q) => Reflect.get(failed, q) ?? Reflect.get(s, q) });
              return Reflect.get(failed, p) ?? Reflect.get(s, p);
            },
          });
        };
      }
      if (prop === "batch") {
        return async (statements: D1PreparedStatement[]) => {
          await faults.gate;
          if (faults.failBatch) throw error();
          return target.batch(statements);
        };
      }
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** A promise and the function that settles it. */
export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
