import { progressText } from "../catalogue/messages.js";
import type { OutputFormat } from "../report/reporters.js";
import type { OutputTarget } from "./check-options.js";

/** What the progress line needs of time, passed in so tests run it on a fake clock. */
export interface ProgressClock {
  /** Milliseconds, from any origin. */
  now: () => number;
  /** Runs `callback` once after `ms`; returns a handle for `cancel`. */
  schedule: (callback: () => void, ms: number) => unknown;
  cancel: (handle: unknown) => void;
}

/** The process's clock. Its timers are unref'd: a progress line never keeps the process alive. */
export const systemClock: ProgressClock = {
  now: () => Date.now(),
  schedule: (callback, ms) => setTimeout(callback, ms).unref(),
  cancel: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** A run shorter than this shows no progress at all. */
export const PROGRESS_DELAY_MS = 1000;
/** At most one update per this: 10 a second. */
export const PROGRESS_INTERVAL_MS = 100;

/** Back to the start of the line and clear it: each update replaces the last, and the end leaves nothing. */
const CLEAR_LINE = "\r\x1b[2K";

export interface ProgressLine {
  /** The newest count; shown now, or later when it is too early or too soon after the last update. */
  update: (done: number, total: number) => void;
  /** Erases the line if it was ever shown; later updates are ignored. Call it before anything else is written. */
  end: () => void;
}

/**
 * A progress line on a terminal (`checking releases: 37/200`), rewritten in place: nothing for the first
 * `PROGRESS_DELAY_MS`, then the newest count at most every `PROGRESS_INTERVAL_MS`, erased by `end()`. Counts
 * that come faster than that are not lost: the newest one is shown when the interval is over, unless the run
 * ends first.
 */
export function progressLine(
  write: (text: string) => void,
  clock: ProgressClock = systemClock,
): ProgressLine {
  const started = clock.now();
  let latest: { done: number; total: number } | null = null;
  let shown: string | null = null;
  let lastWrite = Number.NEGATIVE_INFINITY;
  let timer: { handle: unknown } | null = null;
  let ended = false;

  const cancelTimer = () => {
    if (timer !== null) clock.cancel(timer.handle);
    timer = null;
  };

  const show = () => {
    cancelTimer();
    if (ended || latest === null) return;
    lastWrite = clock.now();
    const text = progressText(latest.done, latest.total);
    if (text === shown) return;
    write(CLEAR_LINE + text);
    shown = text;
  };

  return {
    update(done, total) {
      if (ended) return;
      latest = { done, total };
      const due = Math.max(started + PROGRESS_DELAY_MS, lastWrite + PROGRESS_INTERVAL_MS);
      const wait = due - clock.now();
      if (wait <= 0) show();
      else if (timer === null) timer = { handle: clock.schedule(show, wait) };
    },
    end() {
      if (ended) return;
      ended = true;
      cancelTimer();
      if (shown !== null) write(CLEAR_LINE);
    },
  };
}

/** Formats whose report on stdout is read by a program: no progress beside them, even on stderr. */
const MACHINE_FORMATS: ReadonlySet<OutputFormat> = new Set(["json", "junit", "sarif", "html"]);

/**
 * Whether a check shows progress: only on a terminal's stderr, not with `--no-progress`, and not when a
 * machine-read report goes to stdout (`-o json`; `-o json=FILE` with text on stdout may show it).
 */
export function showsProgress(options: {
  stderrIsTty: boolean;
  progress: boolean;
  outputs: readonly OutputTarget[];
}): boolean {
  return (
    options.stderrIsTty &&
    options.progress &&
    !options.outputs.some((output) => output.file === null && MACHINE_FORMATS.has(output.format))
  );
}
