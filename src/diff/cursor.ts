import { isPlainObject } from "../model/kube.js";
import type { PathSegment } from "../model/path.js";

/**
 * Where the walk is: the finding path (with list-entry segments), the schema path (field names only, as CRD
 * list-type facts are keyed), and where the innermost pod spec starts in the schema path, if inside one.
 */
export interface Cursor {
  readonly path: readonly PathSegment[];
  readonly schema: readonly string[];
  readonly podSpecAt: number | null;
}

export const ROOT: Cursor = { path: [], schema: [], podSpecAt: null };

export function fieldCursor(cursor: Cursor, name: string): Cursor {
  return {
    path: [...cursor.path, { kind: "field", name }],
    schema: [...cursor.schema, name],
    podSpecAt: cursor.podSpecAt,
  };
}

/** A list element: the path gains a segment, the schema path does not (list items add no segment). */
export function elementCursor(cursor: Cursor, segment: PathSegment): Cursor {
  return { ...cursor, path: [...cursor.path, segment] };
}

/**
 * Entering a map: a pod spec is recognised structurally, as an object holding a `containers` list, wherever it
 * sits (`spec`, `spec.template.spec`, `spec.jobTemplate.spec.template.spec`, a custom resource's own field).
 */
export function mapCursor(cursor: Cursor, map: Record<string, unknown>): Cursor {
  return isPodSpec(map) ? { ...cursor, podSpecAt: cursor.schema.length } : cursor;
}

export function isPodSpec(map: unknown): boolean {
  return isPlainObject(map) && Array.isArray(map.containers);
}

/** Field names below the innermost pod spec, e.g. `containers.env`; null outside a pod spec. */
export function podSpecRelativePath(cursor: Cursor): string | null {
  return cursor.podSpecAt === null ? null : cursor.schema.slice(cursor.podSpecAt).join(".");
}
