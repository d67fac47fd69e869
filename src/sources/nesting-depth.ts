/**
 * How deep a document's mappings and lists may nest. Comparing, copying and printing an object recurse once
 * per level: a 5 000-deep `data` value overflowed the stack in structuredClone, and the yaml package, which
 * prints the diff, overflows near 650 levels in the CLI. Deeper input is therefore refused as bad input instead
 * of ending in an internal error. Real objects stay far below: a CRD's openAPIV3Schema, the deepest we know,
 * nests about a hundred levels. (The API server's JSON reader refuses beyond 10 000: k8s.io/apimachinery
 * pkg/util/json maxDepth.)
 */
export const MAX_NESTING_DEPTH = 400;

export const TOO_DEEP = `mappings or lists nested more than ${MAX_NESTING_DEPTH} levels deep`;

/** Whether `value` nests deeper than MAX_NESTING_DEPTH; iterative, so any depth can be measured. */
export function nestsTooDeeply(value: unknown): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    if (next.value === null || typeof next.value !== "object") continue;
    const depth = next.depth + 1;
    if (depth > MAX_NESTING_DEPTH) return true;
    for (const item of Object.values(next.value)) {
      if (item !== null && typeof item === "object") stack.push({ value: item, depth });
    }
  }
  return false;
}
