import { describe, expect, it } from "vitest";
import { createLimiter } from "../../../src/core/limiter.js";

/** A task that records how many tasks run at once and finishes when the test says so. */
function tracked(state: { running: number; peak: number; order: number[] }, id: number) {
  let finish = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const task = async () => {
    state.running++;
    state.peak = Math.max(state.peak, state.running);
    state.order.push(id);
    await done;
    state.running--;
    return id;
  };
  return { task, finish };
}

describe("createLimiter", () => {
  it("starts waiting tasks in the order they came, never more than the limit at once", async () => {
    const limit = createLimiter(2);
    const state = { running: 0, peak: 0, order: [] as number[] };
    const tasks = Array.from({ length: 6 }, (_, id) => tracked(state, id));
    const results = tasks.map(({ task }) => limit(task));
    for (const { finish } of tasks) {
      finish();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await Promise.all(results)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(state.order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(state.peak).toBe(2);
  });

  it("gives a freed slot to the first waiter, not to a caller that comes before the waiter resumes", async () => {
    // The late caller comes 0, 1, 2, … microtasks after the first task ends: at one of these the slot has been
    // given back and the waiter has not resumed yet.
    for (let hops = 0; hops < 8; hops++) {
      const limit = createLimiter(1);
      let running = 0;
      let peak = 0;
      const counted = () => async () => {
        running++;
        peak = Math.max(peak, running);
        await Promise.resolve();
        running--;
      };
      let finishFirst = () => {};
      const first = new Promise<void>((resolve) => {
        finishFirst = resolve;
      });
      const results = [limit(() => first), limit(counted())];
      finishFirst();
      let late = Promise.resolve();
      for (let i = 0; i < hops; i++) late = late.then(() => {});
      await late;
      results.push(limit(counted()));
      await Promise.all(results);
      expect({ hops, peak }).toEqual({ hops, peak: 1 });
    }
  });

  it("runs 20 000 queued tasks to the end", async () => {
    const limit = createLimiter(16);
    const results = await Promise.all(Array.from({ length: 20_000 }, (_, i) => limit(async () => i)));
    expect(results.length).toBe(20_000);
    expect(results[19_999]).toBe(19_999);
  });

  it("refuses a limit that is not a whole number of at least 1", () => {
    expect(() => createLimiter(0)).toThrow("concurrency must be a whole number ≥ 1, got 0");
    expect(() => createLimiter(1.5)).toThrow(RangeError);
  });
});
