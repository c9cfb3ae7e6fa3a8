import { describe, expect, it } from "vitest";
import { type RetryPolicy, type RetryRuntime, retryLostRaces } from "../../src/lib/retry";

const POLICY: RetryPolicy = { baseMs: 10, capMs: 100, budgetMs: 1_000 };
const LOST = new Error("lost a race");
const isLost = (err: unknown) => err === LOST;

/** A clock that only moves when slept on, and randomness fixed at `random`. */
function fakeRuntime(random = 1) {
  let now = 0;
  const sleeps: number[] = [];
  const runtime: RetryRuntime = {
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    random: () => random,
  };
  return { runtime, sleeps };
}

/** An attempt that loses `times` races, then answers "done". */
function losing(times: number) {
  let calls = 0;
  const attempt = async () => {
    calls += 1;
    if (calls <= times) throw LOST;
    return "done";
  };
  return { attempt, calls: () => calls };
}

describe("retryLostRaces", () => {
  it("waits up to base·2ⁿ after the n-th lost race, capped, and then succeeds", async () => {
    const { runtime, sleeps } = fakeRuntime(0.999);
    const { attempt, calls } = losing(6);
    expect(await retryLostRaces(attempt, isLost, POLICY, runtime)).toBe("done");
    expect(calls()).toBe(7);
    expect(sleeps.map(Math.round)).toEqual([10, 20, 40, 80, 100, 100]);
  });

  it("draws each wait at random below its ceiling (full jitter)", async () => {
    const { runtime, sleeps } = fakeRuntime(0.25);
    await retryLostRaces(losing(3).attempt, isLost, POLICY, runtime);
    expect(sleeps).toEqual([2.5, 5, 10]);
  });

  it("starts no attempt past the budget, and then throws the last lost race", async () => {
    const { runtime, sleeps } = fakeRuntime(0.999);
    const { attempt, calls } = losing(Number.POSITIVE_INFINITY);
    await expect(retryLostRaces(attempt, isLost, POLICY, runtime)).rejects.toBe(LOST);
    expect(sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(POLICY.budgetMs);
    expect(runtime.now()).toBe(POLICY.budgetMs);
    expect(calls()).toBe(sleeps.length + 1);
  });

  it("throws any other error at once", async () => {
    const { runtime, sleeps } = fakeRuntime();
    const other = new Error("storage");
    await expect(retryLostRaces(() => Promise.reject(other), isLost, POLICY, runtime)).rejects.toBe(other);
    expect(sleeps).toEqual([]);
  });
});
