import { describe, expect, it } from "vitest";
import { sendGathered } from "../../src/lib/queue-message";
import { gatedQueue } from "../event-helpers";

/** Lets every promise that can settle now settle. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("sendGathered: the sends of an isolate's requests, gathered while one is in flight", () => {
  it("idle, a send goes at once, alone", async () => {
    const { queue, batches, release } = gatedQueue<number>();
    const sent = sendGathered(queue, [1, 2]);
    await settle();
    expect(batches).toEqual([[1, 2]]);
    await release();
    await sent;
  });

  it("sends made while one is in flight return at once and go together in the next sendBatch, made by the first caller", async () => {
    const { queue, batches, release } = gatedQueue<number>();
    const first = sendGathered(queue, [1]);
    await settle();
    await sendGathered(queue, [2]);
    await sendGathered(queue, [3, 4]);
    expect(batches).toEqual([[1]]);
    await release();
    expect(batches).toEqual([[1], [2, 3, 4]]);
    await release();
    await first;
    // Nothing in flight any more: the next send is made by its own caller.
    const next = sendGathered(queue, [5]);
    await settle();
    expect(batches).toEqual([[1], [2, 3, 4], [5]]);
    await release();
    await next;
  });

  it("one caller makes at most four sends; a send made during its fourth goes on its own", async () => {
    const { queue, batches, release } = gatedQueue<number>();
    const first = sendGathered(queue, [1]);
    await settle();
    for (const body of [2, 3, 4]) {
      await sendGathered(queue, [body]);
      await release();
    }
    expect(batches).toEqual([[1], [2], [3], [4]]);
    const own = sendGathered(queue, [5]);
    await settle();
    expect(batches).toEqual([[1], [2], [3], [4], [5]]);
    await release();
    await release();
    await Promise.all([first, own]);
  });

  it("a send in flight too long has lost its caller: the next send takes its gathering over, and the caller, back, sends none of it again", async () => {
    // The app's calls wait 10 s before a takeover; this test's, 200 ms.
    const staleMs = 200;
    const { queue, batches, release } = gatedQueue<number>();
    const first = sendGathered(queue, [1], { staleMs });
    await settle();
    await sendGathered(queue, [2], { staleMs });
    await sendGathered(queue, [3], { staleMs });
    expect(batches).toEqual([[1]]);
    await new Promise((resolve) => setTimeout(resolve, staleMs + 50));
    const takeover = sendGathered(queue, [4], { staleMs });
    await settle();
    expect(batches).toEqual([[1], [2, 3, 4]]);
    // The first caller's send ends after all: what it gathered went with the takeover.
    await release();
    await first;
    expect(batches).toEqual([[1], [2, 3, 4]]);
    // The takeover's send is the one in flight now: a send joins it.
    await sendGathered(queue, [5], { staleMs });
    await release();
    expect(batches).toEqual([[1], [2, 3, 4], [5]]);
    await release();
    await takeover;
  });

  it("a failed send rejects its caller, the bodies gathered behind it are not sent, and the next send goes on its own", async () => {
    const { queue, batches, release } = gatedQueue<number>();
    const first = sendGathered(queue, [1]);
    const failed = expect(first).rejects.toThrow("Queue send failed");
    await settle();
    await sendGathered(queue, [2]);
    await release(true);
    await failed;
    expect(batches).toEqual([[1]]);
    const next = sendGathered(queue, [3]);
    await settle();
    expect(batches).toEqual([[1], [3]]);
    await release();
    await next;
  });

  it("gatherFirst: an idle caller sends once it resolves, with the sends made meanwhile, which return at once", async () => {
    const { queue, batches, release } = gatedQueue<number>();
    let open: () => void = () => {};
    const gatherFirst = () => new Promise<void>((resolve) => (open = resolve));
    const first = sendGathered(queue, [1], { gatherFirst });
    await settle();
    await sendGathered(queue, [2], { gatherFirst });
    await sendGathered(queue, [3]);
    expect(batches).toEqual([]);
    open();
    await settle();
    expect(batches).toEqual([[1, 2, 3]]);
    await release();
    await first;
  });

  it("a gathering still in gatherFirst for staleMs is taken over: the takeover sends it, and its caller, back, sends none of it", async () => {
    const staleMs = 100;
    const { queue, batches, release } = gatedQueue<number>();
    let open: () => void = () => {};
    const gatherFirst = () => new Promise<void>((resolve) => (open = resolve));
    const first = sendGathered(queue, [1], { gatherFirst, staleMs });
    await settle();
    await sendGathered(queue, [2], { staleMs });
    await new Promise((resolve) => setTimeout(resolve, staleMs + 20));
    const takeover = sendGathered(queue, [3], { staleMs });
    await settle();
    expect(batches).toEqual([[1, 2, 3]]);
    open();
    await first;
    expect(batches).toEqual([[1, 2, 3]]);
    await release();
    await takeover;
  });
});
