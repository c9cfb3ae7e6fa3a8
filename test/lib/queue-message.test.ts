import { describe, expect, it, vi } from "vitest";
import { sendGathered } from "../../src/lib/queue-message";
import { gatedQueue } from "../event-helpers";

/** Lets every promise that can settle now settle. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("sendGathered: the sends of an isolate's requests, gathered", () => {
  it("idle, a send goes at once, alone", async () => {
    const { queue, batches, release } = gatedQueue<number>();
    const sent = sendGathered(queue, [1, 2]);
    await settle();
    expect(batches).toEqual([[1, 2]]);
    await release();
    await sent;
  });

  it("sends that come within spacingMs of the start of the last one wait until then, together: their callers return at once, the first sends them", async () => {
    // The app's spacing is 100 ms; this test's, 500, so that a slow machine cannot make it pass by.
    const spacingMs = 500;
    const { queue, batches, release } = gatedQueue<number>();
    const first = sendGathered(queue, [1], { spacingMs });
    const started = Date.now();
    await settle();
    await release();
    await first;
    // The first send is over, but began less than spacingMs ago: this one waits for its turn.
    const second = sendGathered(queue, [2], { spacingMs });
    await sendGathered(queue, [3, 4], { spacingMs });
    await sleep(50);
    expect(batches).toEqual([[1]]);
    await vi.waitFor(() => expect(batches).toEqual([[1], [2, 3, 4]]), { timeout: 2_000 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(spacingMs);
    await release();
    await second;
    // spacingMs after that one began, a send goes at once again.
    await sleep(spacingMs + 10);
    const idle = sendGathered(queue, [5], { spacingMs });
    await settle();
    expect(batches).toEqual([[1], [2, 3, 4], [5]]);
    await release();
    await idle;
  });

  it("sends made while one is in flight go in the next sendBatch, made by the caller whose send was in flight", async () => {
    const { queue, batches, release } = gatedQueue<number>();
    const first = sendGathered(queue, [1], { spacingMs: 0 });
    await settle();
    await sendGathered(queue, [2], { spacingMs: 0 });
    await sendGathered(queue, [3, 4], { spacingMs: 0 });
    expect(batches).toEqual([[1]]);
    await release();
    expect(batches).toEqual([[1], [2, 3, 4]]);
    await release();
    await first;
  });

  it("one caller makes at most four sends; a send made during its fourth goes on its own", async () => {
    const { queue, batches, release } = gatedQueue<number>();
    const first = sendGathered(queue, [1], { spacingMs: 0 });
    await settle();
    for (const body of [2, 3, 4]) {
      await sendGathered(queue, [body], { spacingMs: 0 });
      await release();
    }
    expect(batches).toEqual([[1], [2], [3], [4]]);
    const own = sendGathered(queue, [5], { spacingMs: 0 });
    await settle();
    expect(batches).toEqual([[1], [2], [3], [4], [5]]);
    await release();
    await release();
    await Promise.all([first, own]);
  });

  it("a send in flight too long has lost its caller: the next send takes its gathering over, and the caller, back, sends none of it again", async () => {
    // The app's calls wait 10 s before a takeover; this test's, 200 ms.
    const options = { staleMs: 200, spacingMs: 0 };
    const { queue, batches, release } = gatedQueue<number>();
    const first = sendGathered(queue, [1], options);
    await settle();
    await sendGathered(queue, [2], options);
    await sendGathered(queue, [3], options);
    expect(batches).toEqual([[1]]);
    await sleep(options.staleMs + 50);
    const takeover = sendGathered(queue, [4], options);
    await settle();
    expect(batches).toEqual([[1], [2, 3, 4]]);
    // The first caller's send ends after all: what it gathered went with the takeover.
    await release();
    await first;
    expect(batches).toEqual([[1], [2, 3, 4]]);
    // The takeover's send is the one in flight now: a send joins it.
    await sendGathered(queue, [5], options);
    await release();
    expect(batches).toEqual([[1], [2, 3, 4], [5]]);
    await release();
    await takeover;
  });

  it("a gathering still waiting for its turn after staleMs is taken over: the takeover sends it, and its caller, back, sends none of it", async () => {
    const { queue, batches, release } = gatedQueue<number>();
    const sent = sendGathered(queue, [0]);
    await settle();
    await release();
    await sent;
    // Waits 300 ms for its turn (the spacing of this test), taken over after 100 ms.
    const options = { spacingMs: 300, staleMs: 100 };
    const waiting = sendGathered(queue, [1], options);
    await sendGathered(queue, [2], options);
    await sleep(120);
    const takeover = sendGathered(queue, [3], { spacingMs: 0, staleMs: 100 });
    await settle();
    expect(batches).toEqual([[0], [1, 2, 3]]);
    await release();
    await takeover;
    await waiting;
    expect(batches).toEqual([[0], [1, 2, 3]]);
  });

  it("a failed send rejects its caller, the bodies gathered behind it are not sent, and the next send goes on its own", async () => {
    const { queue, batches, release } = gatedQueue<number>();
    const first = sendGathered(queue, [1], { spacingMs: 0 });
    const failed = expect(first).rejects.toThrow("Queue send failed");
    await settle();
    await sendGathered(queue, [2], { spacingMs: 0 });
    await release(true);
    await failed;
    expect(batches).toEqual([[1]]);
    const next = sendGathered(queue, [3], { spacingMs: 0 });
    await settle();
    expect(batches).toEqual([[1], [3]]);
    await release();
    await next;
  });
});
