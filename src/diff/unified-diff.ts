import { createTwoFilesPatch } from "diff";
import { stringify } from "yaml";
import { sha256Prefix } from "../model/digest.js";
import { isPlainObject } from "../model/kube.js";

/**
 * Strings longer than this are shortened in the diff to their head, length and digest: the diff shows where
 * and that they differ (different values keep different digests), and the findings carry them whole. Diffing
 * the whole of a value megabytes long cost about 11× its size in memory, for lines no one reads in full.
 */
export const DIFF_STRING_LIMIT = 4096;

/**
 * A unified diff (3 lines of context) of two values serialized as YAML, or null when they serialize the
 * same. Keys keep the order they have in each value; `undefined` serializes as an empty file.
 * The `Index:` and `===` lines createTwoFilesPatch puts before the `---`/`+++` headers are dropped.
 */
export function unifiedDiff(
  desiredLabel: string,
  liveLabel: string,
  desired: unknown,
  live: unknown,
): string | null {
  const before = toYaml(shortened(desired));
  const after = toYaml(shortened(live));
  if (before === after) return null;
  const patch = createTwoFilesPatch(desiredLabel, liveLabel, before, after, undefined, undefined, {
    context: 3,
  });
  const lines = patch.split("\n");
  const header = lines.findIndex((line) => line.startsWith("--- "));
  return lines.slice(header).join("\n");
}

function toYaml(value: unknown): string {
  if (value === undefined) return "";
  // lineWidth 0: never fold long strings, so one changed value stays one changed line.
  // aliasDuplicateObjects false: a value reached twice is written twice, not as an anchor and alias.
  return stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** The value with every string longer than DIFF_STRING_LIMIT shortened; the same value when there is none. */
function shortened(value: unknown): unknown {
  if (typeof value === "string") {
    if (value.length <= DIFF_STRING_LIMIT) return value;
    // Never cut a surrogate pair in half.
    const end = /[\uD800-\uDBFF]/.test(value[DIFF_STRING_LIMIT - 1] ?? "")
      ? DIFF_STRING_LIMIT - 1
      : DIFF_STRING_LIMIT;
    return `${value.slice(0, end)}… (+${value.length - end} chars, sha256 ${sha256Prefix(value)})`;
  }
  if (Array.isArray(value)) return value.map(shortened);
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, shortened(entry)]));
  }
  return value;
}
