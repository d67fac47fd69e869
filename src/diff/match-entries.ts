import type { PathSegment } from "../model/path.js";
import { type EntryKey, entryKey, sameKey } from "./entry-key.js";

/** One entry of a keyed list: its key, its rendered position (-1 if only live) and live position (-1 if only rendered). */
export type EntrySegment = Extract<PathSegment, { kind: "key" }>;

export interface KeyedMatching {
  /** Every rendered entry, in rendered order; `liveIndex` is -1 when no live entry has its key. */
  readonly rendered: readonly EntrySegment[];
  /** Live entries no rendered entry claims, in live order (`index` -1). */
  readonly extra: readonly EntrySegment[];
}

/**
 * Pairs rendered and live entries by merge key, independent of order. A key that appears more than once
 * (duplicate env names are accepted by the API server) pairs its n-th rendered occurrence with its n-th live
 * one. null when some entry on either side has no complete key.
 */
export function matchKeyedEntries(
  rendered: readonly unknown[],
  live: readonly unknown[],
  keys: readonly string[],
): KeyedMatching | null {
  const renderedKeys = keysOf(rendered, keys);
  const liveKeys = keysOf(live, keys);
  if (renderedKeys === null || liveKeys === null) return null;
  const claimed = new Set<number>();
  const renderedSegments = renderedKeys.map((key, index): EntrySegment => {
    const liveIndex = liveKeys.findIndex((candidate, i) => !claimed.has(i) && sameKey(key, candidate));
    if (liveIndex !== -1) claimed.add(liveIndex);
    return { kind: "key", key, index, liveIndex };
  });
  const extra = liveKeys.flatMap((key, liveIndex): EntrySegment[] =>
    claimed.has(liveIndex) ? [] : [{ kind: "key", key, index: -1, liveIndex }],
  );
  return { rendered: renderedSegments, extra };
}

function keysOf(entries: readonly unknown[], keys: readonly string[]): EntryKey[] | null {
  const result: EntryKey[] = [];
  for (const entry of entries) {
    const key = entryKey(entry, keys);
    if (key === null) return null;
    result.push(key);
  }
  return result;
}
