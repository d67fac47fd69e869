import { isPlainObject } from "../model/kube.js";
import { keyValueOf } from "../normalize/port-protocol-default.js";

export type EntryKey = Record<string, string | number | boolean>;

/**
 * The merge key of a keyed-list entry, with server defaults filled in (a port without `protocol` is TCP).
 * null when the entry is not a map or lacks a key field that has no default: such a list cannot be matched by
 * key and is compared whole instead.
 */
export function entryKey(entry: unknown, keys: readonly string[]): EntryKey | null {
  if (!isPlainObject(entry)) return null;
  const key: EntryKey = {};
  for (const field of keys) {
    const value = keyValueOf(entry, field);
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") return null;
    key[field] = value;
  }
  return key;
}

export function sameKey(a: EntryKey, b: EntryKey): boolean {
  const fields = Object.keys(a);
  return fields.length === Object.keys(b).length && fields.every((field) => a[field] === b[field]);
}
