import { createTwoFilesPatch } from "diff";
import { stringify } from "yaml";

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
  const before = toYaml(desired);
  const after = toYaml(live);
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
