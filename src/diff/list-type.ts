import type { ListTypes } from "../cluster/cluster-reader.js";
import { groupOf } from "../model/kube.js";
import { builtinListType } from "./builtin-lists.js";
import { type Cursor, podSpecRelativePath } from "./cursor.js";
import { POD_SPEC_LIST_TYPES } from "./pod-spec-lists.js";

/** How a list's entries are matched: by merge key, as a set of values, or whole and in order. */
export type ListType = { type: "map"; keys: readonly string[] } | { type: "set" } | { type: "atomic" };

/** What the walk knows about the object: its kind and, for a custom resource, its CRD's list-type facts. */
export interface ObjectContext {
  readonly apiVersion: string;
  readonly kind: string;
  readonly listTypes: ListTypes | null;
}

const ATOMIC: ListType = { type: "atomic" };

/**
 * The list type at the cursor. Precedence: the CRD's `x-kubernetes-list-type` facts, then the built-in table for
 * the kind (metadata lists, Service ports, webhooks…), then the PodSpec table when inside a pod spec, else atomic
 * (an unknown list is compared whole, in order).
 */
export function resolveListType(object: ObjectContext, cursor: Cursor): ListType {
  const schemaPath = cursor.schema.join(".");
  const fromCrd = object.listTypes?.get(schemaPath);
  if (fromCrd !== undefined) {
    if (fromCrd.type === "map" && fromCrd.keys.length === 0) {
      throw new Error(`list type of ${schemaPath} is "map" without keys`);
    }
    return fromCrd.type === "map" ? { type: "map", keys: fromCrd.keys } : { type: fromCrd.type };
  }
  const builtin = builtinListType(groupOf(object.apiVersion), object.kind, cursor.schema);
  if (builtin !== null) return builtin;
  const relative = podSpecRelativePath(cursor);
  if (relative !== null) return POD_SPEC_LIST_TYPES.get(relative) ?? ATOMIC;
  return ATOMIC;
}
