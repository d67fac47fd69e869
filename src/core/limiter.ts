/**
 * A bound on concurrent work shared by every caller holding the same limiter, so that nested fan-out
 * (releases × resources) never exceeds `limit` requests in flight against the API server.
 */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

/** One caller waiting for a slot; the waiting callers form a singly linked FIFO. */
interface Waiter {
  start: () => void;
  next: Waiter | null;
}

/**
 * Waiting and starting cost O(1) each, however many callers wait: an offline check of 20 000 objects queues
 * them all at once, and `Array.prototype.shift` on such a queue moves every element each time.
 */
export function createLimiter(limit: number): Limiter {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`concurrency must be a whole number ≥ 1, got ${limit}`);
  let active = 0;
  let first: Waiter | null = null;
  let last: Waiter | null = null;
  const wait = () =>
    new Promise<void>((start) => {
      const waiter: Waiter = { start, next: null };
      if (last === null) first = waiter;
      else last.next = waiter;
      last = waiter;
    });
  // A finishing task hands its slot straight to the first waiter: were the slot freed and retaken when the
  // waiter resumes, a caller arriving in between would take it too, one more than `limit` in flight.
  const release = () => {
    const waiter = first;
    if (waiter === null) {
      active--;
      return;
    }
    first = waiter.next;
    if (first === null) last = null;
    waiter.start();
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= limit) await wait();
    else active++;
    try {
      return await task();
    } finally {
      release();
    }
  };
}
