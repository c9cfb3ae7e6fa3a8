/** How long lost races are retried, and how far apart. */
export interface RetryPolicy {
  /** The first delay's upper bound; each further one doubles it. */
  baseMs: number;
  /** No delay is drawn above this. */
  capMs: number;
  /** No attempt starts after this much time since the first. */
  budgetMs: number;
}

/**
 * Writes that lost a race to a concurrent write of the same rows
 * (docs/reliability.md#guards-against-races): tried again for up to 2 s, then `503`.
 */
export const CONTENTION_RETRY: RetryPolicy = { baseMs: 10, capMs: 400, budgetMs: 2_000 };

/** The clock, timer and randomness {@link retryLostRaces} uses; tests pass their own. */
export interface RetryRuntime {
  now(): number;
  sleep(ms: number): Promise<void>;
  random(): number;
}

const realRuntime: RetryRuntime = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};

/**
 * Runs `attempt` until it does not lose a race. After the n-th lost race it waits a random time
 * in [0, min(capMs, baseMs·2ⁿ⁻¹)) ("full jitter": the losers spread out instead of colliding
 * again in step), never past the budget; once the budget is spent, the last loss is thrown.
 * Any other error is thrown at once.
 *
 * @example await retryLostRaces(() => writeBatch(), (err) => isWriteConflict(err))
 */
export async function retryLostRaces<T>(
  attempt: () => Promise<T>,
  lostRace: (err: unknown) => boolean,
  policy: RetryPolicy = CONTENTION_RETRY,
  runtime: RetryRuntime = realRuntime,
): Promise<T> {
  const deadline = runtime.now() + policy.budgetMs;
  for (let lost = 0; ; lost++) {
    try {
      return await attempt();
    } catch (err) {
      const left = deadline - runtime.now();
      if (!lostRace(err) || left <= 0) throw err;
      const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** lost);
      await runtime.sleep(Math.min(left, runtime.random() * ceiling));
    }
  }
}
