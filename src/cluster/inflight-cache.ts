/**
 * Memoizes async look-ups by key: concurrent callers of the same key share one in-flight promise, a result is
 * kept for later callers, and a failure is forgotten so that the next caller tries again.
 */
export class InflightCache<V> {
  private readonly entries = new Map<string, Promise<V>>();

  get(key: string, load: () => Promise<V>): Promise<V> {
    const existing = this.entries.get(key);
    if (existing !== undefined) return existing;
    const promise = (async () => load())();
    this.entries.set(key, promise);
    promise.catch(() => {
      if (this.entries.get(key) === promise) this.entries.delete(key);
    });
    return promise;
  }
}
