/**
 * A deep copy of a JSON value that shares its strings. Strings are immutable, so sharing them is safe, and
 * structuredClone copies every one: a ConfigMap value of 40 MB cost 40 MB more at each copy (normalizing
 * both sides, the display pair, the repair patch), which made memory grow many times the input. Only JSON
 * values (what the readers produce) are handled; depth is bounded by src/sources/nesting-depth.ts.
 */
export function cloneJson<T>(value: T): T {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => cloneJson(item)) as T;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    // A key "__proto__" is an own property of parsed JSON and must stay one (assignment would set the
    // prototype); every other key is assigned, which keeps the object in V8's fast mode.
    if (key === "__proto__") {
      Object.defineProperty(copy, key, {
        value: cloneJson(item),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      copy[key] = cloneJson(item);
    }
  }
  return copy as T;
}
