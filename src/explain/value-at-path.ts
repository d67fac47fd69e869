import { isPlainObject } from "../model/kube.js";
import type { Path } from "../model/path.js";
import { keyValueOf } from "../normalize/port-protocol-default.js";

/** Where a path resolves in a JSON document: the value, or the deepest prefix that exists. */
export type Resolution =
  | { found: true; value: unknown }
  /** `depth` segments resolved; `at` is the value there (the nearest existing ancestor). */
  | { found: false; depth: number; at: unknown };

/**
 * Follows `path` through `root`. Key segments find the list entry whose fields equal the key (so they work
 * in any document, whatever its list order), an omitted key field counting as its server default (a
 * last-applied port without `protocol` is the live port with `protocol: TCP`); index segments take that
 * position.
 */
export function resolvePath(root: unknown, path: Path): Resolution {
  let current: unknown = root;
  for (const [depth, segment] of path.entries()) {
    let next: unknown;
    if (segment.kind === "field") {
      next =
        isPlainObject(current) && Object.hasOwn(current, segment.name) ? current[segment.name] : undefined;
    } else if (segment.kind === "key") {
      next = Array.isArray(current)
        ? current.find(
            (entry) =>
              isPlainObject(entry) &&
              Object.entries(segment.key).every(([field, value]) => keyValueOf(entry, field) === value),
          )
        : undefined;
    } else {
      next = Array.isArray(current) ? current[segment.index] : undefined;
    }
    if (next === undefined) return { found: false, depth, at: current };
    current = next;
  }
  return { found: true, value: current };
}

/** Structural equality of JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, i) => jsonEqual(item, b[i]))
    );
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((key) => Object.hasOwn(b, key) && jsonEqual(a[key], b[key]))
    );
  }
  return false;
}
