import { describe, expect, test } from "vitest";
import { outputTargets } from "../../../src/cli/check-options.js";
import {
  PROGRESS_DELAY_MS,
  PROGRESS_INTERVAL_MS,
  type ProgressClock,
  progressLine,
  showsProgress,
} from "../../../src/cli/progress.js";

const CLEAR = "\r\x1b[2K";
const line = (done: number, total: number) => `${CLEAR}checking releases: ${done}/${total}`;

/** A clock that moves only when told to, firing the timers that fall due on the way, in order. */
function fakeClock() {
  let now = 0;
  let nextId = 0;
  const timers = new Map<number, { at: number; callback: () => void }>();
  const clock: ProgressClock = {
    now: () => now,
    schedule: (callback, ms) => {
      timers.set(++nextId, { at: now + ms, callback });
      return nextId;
    },
    cancel: (handle) => {
      timers.delete(handle as number);
    },
  };
  const advanceTo = (at: number) => {
    for (;;) {
      const due = [...timers.entries()].filter(([, t]) => t.at <= at).sort(([, a], [, b]) => a.at - b.at)[0];
      if (due === undefined) break;
      timers.delete(due[0]);
      now = due[1].at;
      due[1].callback();
    }
    now = at;
  };
  return { clock, advanceTo, pending: () => timers.size };
}

function recorded() {
  const writes: string[] = [];
  const fake = fakeClock();
  const progress = progressLine((text) => writes.push(text), fake.clock);
  return { writes, progress, ...fake };
}

describe("the progress line", () => {
  test("a run under a second writes nothing at all and leaves no timer behind", () => {
    const { writes, progress, advanceTo, pending } = recorded();
    progress.update(0, 3);
    advanceTo(400);
    progress.update(1, 3);
    advanceTo(999);
    progress.update(3, 3);
    progress.end();
    advanceTo(5_000);
    expect(writes).toEqual([]);
    expect(pending()).toBe(0);
  });

  test("the first update shows after one second, with the newest count known by then", () => {
    const { writes, progress, advanceTo } = recorded();
    progress.update(0, 200);
    advanceTo(300);
    progress.update(5, 200);
    advanceTo(PROGRESS_DELAY_MS - 1);
    expect(writes).toEqual([]);
    advanceTo(PROGRESS_DELAY_MS);
    expect(writes).toEqual([line(5, 200)]);
  });

  test("an update that comes after the first second shows at once", () => {
    const { writes, progress, advanceTo } = recorded();
    advanceTo(2_500);
    progress.update(37, 200);
    expect(writes).toEqual([line(37, 200)]);
  });

  test("at most one update per interval; the newest count is shown when the interval is over", () => {
    const { writes, progress, advanceTo } = recorded();
    advanceTo(PROGRESS_DELAY_MS);
    progress.update(1, 200);
    for (let done = 2; done <= 50; done++) {
      advanceTo(PROGRESS_DELAY_MS + done); // 49 updates within 50 ms
      progress.update(done, 200);
    }
    expect(writes).toEqual([line(1, 200)]);
    advanceTo(PROGRESS_DELAY_MS + PROGRESS_INTERVAL_MS);
    expect(writes).toEqual([line(1, 200), line(50, 200)]);
  });

  test("updates every millisecond for three seconds: 10 writes a second, and the last count still shown", () => {
    const writes: { at: number; text: string }[] = [];
    const { clock, advanceTo } = fakeClock();
    const progress = progressLine((text) => writes.push({ at: clock.now(), text }), clock);
    for (let t = 0; t <= 3_000; t++) {
      advanceTo(t);
      progress.update(t, 3_000);
    }
    advanceTo(3_000 + PROGRESS_INTERVAL_MS);
    // At 1.0 s, 1.1 s, … 3.0 s, then the final count once the last interval is over.
    expect(writes.map((write) => write.at)).toEqual(
      Array.from({ length: 22 }, (_, i) => PROGRESS_DELAY_MS + i * PROGRESS_INTERVAL_MS),
    );
    expect(writes[0]?.text).toBe(line(999, 3_000));
    expect(writes.at(-1)?.text).toBe(line(3_000, 3_000));
  });

  test("the same count is not written twice", () => {
    const { writes, progress, advanceTo } = recorded();
    advanceTo(PROGRESS_DELAY_MS);
    progress.update(4, 9);
    advanceTo(PROGRESS_DELAY_MS + 500);
    progress.update(4, 9);
    expect(writes).toEqual([line(4, 9)]);
  });

  test("end erases a line that was shown, once, and nothing is written after it", () => {
    const { writes, progress, advanceTo, pending } = recorded();
    advanceTo(PROGRESS_DELAY_MS);
    progress.update(1, 3);
    advanceTo(PROGRESS_DELAY_MS + 10);
    progress.update(2, 3); // waits for the interval
    progress.end();
    progress.end();
    progress.update(3, 3);
    advanceTo(10_000);
    expect(writes).toEqual([line(1, 3), CLEAR]);
    expect(pending()).toBe(0);
  });

  test("nothing is shown before the total is known, however long listing takes", () => {
    const { writes, progress, advanceTo } = recorded();
    advanceTo(4_000);
    progress.end();
    expect(writes).toEqual([]);
  });
});

describe("when progress shows", () => {
  const shows = (stderrIsTty: boolean, progress: boolean, outputs: string[] | undefined) =>
    showsProgress({ stderrIsTty, progress, outputs: outputTargets(outputs) });

  test.each([
    ["text on stdout, stderr a terminal", true, true, undefined, true],
    ["stderr not a terminal", false, true, undefined, false],
    ["--no-progress", true, false, undefined, false],
    ["-o json on stdout", true, true, ["json"], false],
    ["-o junit on stdout", true, true, ["junit"], false],
    ["-o sarif on stdout", true, true, ["sarif"], false],
    ["-o markdown on stdout", true, true, ["markdown"], true],
    ["-o html on stdout", true, true, ["html"], false],
    ["-o html=FILE with text on stdout", true, true, ["text", "html=drift.html"], true],
    ["-o json=FILE with text on stdout", true, true, ["text", "json=drift.json"], true],
    ["-o sarif=FILE, nothing on stdout", true, true, ["sarif=drift.sarif"], true],
    ["-o json on stdout and junit to a file", true, true, ["json", "junit=r.xml"], false],
  ])("%s: %s", (_, stderrIsTty, progress, outputs, expected) => {
    expect(shows(stderrIsTty, progress, outputs)).toBe(expected);
  });
});
